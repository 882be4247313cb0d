using System;

namespace Breaker;

/// <summary>Describes a call that the breaker recorded as a success.</summary>
public sealed class CallSucceededEventArgs : EventArgs
{
    internal CallSucceededEventArgs(CircuitBreaker breaker, TimeSpan duration, bool isSlow)
    {
        Breaker = breaker;
        Duration = duration;
        IsSlow = isSlow;
    }

    /// <summary>The breaker that recorded the call.</summary>
    public CircuitBreaker Breaker { get; }

    /// <summary>How long the call took.</summary>
    public TimeSpan Duration { get; }

    /// <summary>True when the call took at least <see cref="CircuitBreakerOptions.SlowCallDuration"/>.</summary>
    public bool IsSlow { get; }
}
