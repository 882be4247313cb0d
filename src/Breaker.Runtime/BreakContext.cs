using System;
using System.Runtime.InteropServices;

namespace Breaker;

/// <summary>
/// What a breaker knows at the moment it opens, given to <see cref="CircuitBreakerOptions.BreakDurationHook"/>. A struct
/// passed by value, so asking the hook allocates nothing.
/// </summary>
[StructLayout(LayoutKind.Auto)]
public readonly struct BreakContext
{
    internal BreakContext(
        CircuitBreaker breaker,
        CircuitState from,
        in BreakTrigger trigger,
        TimeSpan? requestedBreak,
        int consecutiveOpens,
        TimeSpan breakDuration)
    {
        Breaker = breaker;
        From = from;
        FailureKind = trigger.Kind;
        Exception = trigger.Exception;
        RequestedBreak = requestedBreak;
        ConsecutiveOpens = consecutiveOpens;
        BreakDuration = breakDuration;
    }

    /// <summary>The breaker that opens.</summary>
    public CircuitBreaker Breaker { get; }

    /// <summary><see cref="CircuitState.Closed"/> when its thresholds were crossed (or a fleet opened it); <see cref="CircuitState.HalfOpen"/> when a probe failed or got stuck.</summary>
    public CircuitState From { get; }

    /// <summary>
    /// Why the call that opened the circuit failed (<see cref="Breaker.FailureKind.SlowCall"/> for a slow success), or
    /// <see langword="null"/> when no failed call did: a success reached <see cref="CircuitBreakerOptions.MinimumThroughput"/>
    /// over a failing window, a probe ran past its break, or a fleet opened the circuit on shared evidence.
    /// </summary>
    public FailureKind? FailureKind { get; }

    /// <summary>The exception that call ended with, if any (an HTTP error status has none).</summary>
    public Exception? Exception { get; }

    /// <summary>
    /// How long the dependency asked to be left alone (an HTTP <c>Retry-After</c>), counted from now and at most
    /// <see cref="CircuitBreakerOptions.LongestBreak"/>; <see langword="null"/> when it asked nothing, or its wait is over.
    /// </summary>
    public TimeSpan? RequestedBreak { get; }

    /// <summary>How many times the circuit has opened since it was last closed, this opening included: 1, then 2 after a failed probe, and so on.</summary>
    public int ConsecutiveOpens { get; }

    /// <summary>The configured break after back-off: <see cref="CircuitBreakerOptions.BreakDuration"/> grown by the multiplier for each failed probe, capped.</summary>
    public TimeSpan BreakDuration { get; }
}
