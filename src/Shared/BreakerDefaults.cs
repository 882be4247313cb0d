namespace Breaker;

/// <summary>
/// The default of every circuit breaker setting, written once. This file is compiled into Breaker.Attributes (the
/// attribute's initializers), Breaker.Generator (the values an attribute is judged by when it leaves a setting out) and
/// Breaker.Runtime (<c>CircuitBreakerOptions</c>); a generator test proves the three agree. Durations are in
/// milliseconds, as the attribute states them.
/// </summary>
internal static class BreakerDefaults
{
    public const double FailureRatio = 0.5;
    public const int MinimumThroughput = 10;
    public const int SlidingWindowSize = 100;
    public const int SamplingDurationMs = 0;
    public const int ConsecutiveFailureThreshold = 0;
    public const int BreakDurationMs = 60_000;
    public const int SuccessThreshold = 3;
    public const int TimeoutMs = 0;
    public const int SlowCallDurationMs = 10_000;
    public const double SlowCallRatio = 0.5;
    public const double BreakDurationMultiplier = 1.0;
    public const int MaxBreakDurationMs = 30 * 60 * 1000;

    // The longest break a dependency's Retry-After may ask for: input from outside, held to a cap of its own.
    public const int MaxRetryAfterMs = 5 * 60 * 1000;

    // Keyed groups (one breaker per key): how many keys live at once, and how long a key may go unused before it may
    // make room for another.
    public const int MaxKeys = 1_000;
    public const int KeyIdleTimeoutMs = 5 * 60 * 1000;
    public const double BreakJitterRatio = 0.0;
}
