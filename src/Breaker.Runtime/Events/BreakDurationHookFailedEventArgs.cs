using System;

namespace Breaker;

/// <summary>
/// Describes an opening whose <see cref="CircuitBreakerOptions.BreakDurationHook"/> threw, or returned a break that is not
/// positive: the circuit opened anyway, for the break it would have had without the hook.
/// </summary>
public sealed class BreakDurationHookFailedEventArgs : EventArgs
{
    internal BreakDurationHookFailedEventArgs(CircuitBreaker breaker, Exception error, TimeSpan breakDuration)
    {
        Breaker = breaker;
        Error = error;
        BreakDuration = breakDuration;
    }

    /// <summary>The breaker that opened.</summary>
    public CircuitBreaker Breaker { get; }

    /// <summary>What the hook threw, or an <see cref="ArgumentOutOfRangeException"/> naming the break it returned.</summary>
    public Exception Error { get; }

    /// <summary>The break the circuit opened for instead: the default, jittered and clamped like any other.</summary>
    public TimeSpan BreakDuration { get; }
}
