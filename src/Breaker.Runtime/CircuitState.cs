namespace Breaker;

/// <summary>The state of a circuit breaker.</summary>
public enum CircuitState
{
    /// <summary>Calls flow; outcomes are recorded and the thresholds evaluated after each one.</summary>
    Closed,

    /// <summary>Calls are rejected until the break duration has passed.</summary>
    Open,

    /// <summary>A limited number of probe calls decide whether the circuit closes or opens again.</summary>
    HalfOpen,

    /// <summary>Held open by hand (<see cref="CircuitBreaker.Isolate"/>): every call is rejected until <see cref="CircuitBreaker.Reset"/>.</summary>
    Isolated,

    /// <summary>Metrics only (a dry run): calls are measured and events raised as if the breaker were live, but nothing is ever rejected.</summary>
    MetricsOnly,
}
