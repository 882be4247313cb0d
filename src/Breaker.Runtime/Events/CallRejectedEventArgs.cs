using System;

namespace Breaker;

/// <summary>Describes a call the circuit rejected without running it.</summary>
public sealed class CallRejectedEventArgs : EventArgs
{
    internal CallRejectedEventArgs(CircuitBreaker breaker, CircuitState state, TimeSpan? retryAfter, bool isMetricsOnly)
    {
        Breaker = breaker;
        State = state;
        RetryAfter = retryAfter;
        IsMetricsOnly = isMetricsOnly;
    }

    /// <summary>The breaker that rejected the call.</summary>
    public CircuitBreaker Breaker { get; }

    /// <summary>The state that rejected it (<see cref="CircuitState.Open"/>, <see cref="CircuitState.HalfOpen"/> or <see cref="CircuitState.Isolated"/>).</summary>
    public CircuitState State { get; }

    /// <summary>How long until the circuit admits calls again, when known.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>True in <see cref="CircuitState.MetricsOnly"/>: the call would have been rejected, but it ran.</summary>
    public bool IsMetricsOnly { get; }
}
