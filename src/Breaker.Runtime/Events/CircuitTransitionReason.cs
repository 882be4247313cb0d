namespace Breaker;

/// <summary>Why a circuit changed state.</summary>
public enum CircuitTransitionReason
{
    /// <summary>Not known (a change this version does not describe).</summary>
    Unknown,

    /// <summary>The window's failure ratio reached <see cref="CircuitBreakerOptions.FailureRatio"/>.</summary>
    FailureRatio,

    /// <summary>The window's slow-call ratio reached <see cref="CircuitBreakerOptions.SlowCallRatio"/>.</summary>
    SlowCallRatio,

    /// <summary><see cref="CircuitBreakerOptions.ConsecutiveFailureThreshold"/> failures in a row.</summary>
    ConsecutiveFailures,

    /// <summary>The break was over and a call arrived: it is the first probe.</summary>
    BreakOver,

    /// <summary><see cref="CircuitBreakerOptions.SuccessThreshold"/> probes succeeded.</summary>
    ProbesSucceeded,

    /// <summary>A probe failed.</summary>
    ProbeFailed,

    /// <summary>A probe succeeded but took at least <see cref="CircuitBreakerOptions.SlowCallDuration"/>, which counts as failed.</summary>
    SlowProbe,

    /// <summary>A probe was still running a whole break after it started: it counts as failed.</summary>
    ProbeStuck,

    /// <summary>By hand: <see cref="CircuitBreaker.Isolate"/>, <see cref="CircuitBreaker.Reset"/> or <see cref="CircuitBreaker.SetMetricsOnly"/>.</summary>
    ByHand,

    /// <summary>New options made the half-open verdict: the successes so far meet a lower <see cref="CircuitBreakerOptions.SuccessThreshold"/>.</summary>
    Reconfigured,

    /// <summary>Decided elsewhere, by the fleet of instances that share the breaker (see <see cref="CircuitBreaker.Coordinator"/>).</summary>
    Fleet,

    /// <summary>
    /// Of the calls started in the last few slow-call durations, the share still running past
    /// <see cref="CircuitBreakerOptions.SlowCallDuration"/> reached <see cref="CircuitBreakerOptions.SlowCallRatio"/>
    /// (<see cref="CircuitBreakerOptions.CountSlowCallsInFlight"/>).
    /// </summary>
    SlowCallsInFlight,
}
