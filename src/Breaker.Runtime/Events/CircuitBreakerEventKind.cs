namespace Breaker;

/// <summary>What a <see cref="CircuitBreakerEvent"/> records.</summary>
public enum CircuitBreakerEventKind
{
    /// <summary>The circuit changed state (<see cref="CircuitBreakerEvent.From"/>, <see cref="CircuitBreakerEvent.To"/>, <see cref="CircuitBreakerEvent.Reason"/>).</summary>
    StateChanged,

    /// <summary>Calls were rejected while the circuit was in <see cref="CircuitBreakerEvent.From"/>: <see cref="CircuitBreakerEvent.Count"/> of them, counted together.</summary>
    CallsRejected,

    /// <summary>New options were applied; <see cref="CircuitBreakerEvent.Detail"/> lists what changed.</summary>
    ConfigurationApplied,

    /// <summary>Configuration was refused and the breaker kept its options; <see cref="CircuitBreakerEvent.Detail"/> says why.</summary>
    ConfigurationRejected,
}
