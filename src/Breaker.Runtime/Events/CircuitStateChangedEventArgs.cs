using System;

namespace Breaker;

/// <summary>Describes a circuit's move from one state to another.</summary>
public sealed class CircuitStateChangedEventArgs : EventArgs
{
    internal CircuitStateChangedEventArgs(CircuitBreaker breaker, CircuitState from, CircuitState to, TimeSpan? breakDuration, bool isMetricsOnly, CircuitTransitionReason reason)
    {
        Breaker = breaker;
        From = from;
        To = to;
        BreakDuration = breakDuration;
        IsMetricsOnly = isMetricsOnly;
        Reason = reason;
    }

    /// <summary>The breaker that changed.</summary>
    public CircuitBreaker Breaker { get; }

    /// <summary>The state it left.</summary>
    public CircuitState From { get; }

    /// <summary>The state it entered.</summary>
    public CircuitState To { get; }

    /// <summary>How long the break lasts when <see cref="To"/> is <see cref="CircuitState.Open"/>; otherwise <see langword="null"/>.</summary>
    public TimeSpan? BreakDuration { get; }

    /// <summary>True when the breaker is in <see cref="CircuitState.MetricsOnly"/>: the change is what would have happened.</summary>
    public bool IsMetricsOnly { get; }

    /// <summary>Why it changed: which threshold was reached, what the probes said, by hand, by the fleet.</summary>
    public CircuitTransitionReason Reason { get; }
}
