using System;

namespace Breaker;

/// <summary>Describes a call that the breaker recorded as a failure.</summary>
public sealed class CallFailedEventArgs : EventArgs
{
    internal CallFailedEventArgs(CircuitBreaker breaker, FailureKind kind, Exception? exception, TimeSpan duration)
    {
        Breaker = breaker;
        Kind = kind;
        Exception = exception;
        Duration = duration;
    }

    /// <summary>The breaker that recorded the call.</summary>
    public CircuitBreaker Breaker { get; }

    /// <summary>Why the call failed.</summary>
    public FailureKind Kind { get; }

    /// <summary>The exception the call ended with, if any (a result judged a failure has none).</summary>
    public Exception? Exception { get; }

    /// <summary>How long the call took.</summary>
    public TimeSpan Duration { get; }
}
