using System.Globalization;

namespace Breaker;

/// <summary>
/// The range of every circuit breaker setting, written once. Each rule returns what a value must be, or
/// <see langword="null"/> when it is allowed. This file is compiled into Breaker.Generator (BRK0018) and Breaker.Runtime
/// (<c>CircuitBreakerOptions.Validate</c>), so a value the compiler accepts is one the runtime accepts, and both say why
/// not in the same words. Durations are in milliseconds, as the attribute states them.
/// </summary>
internal static class BreakerLimits
{
    /// <summary>The largest count-based window.</summary>
    public const int MaxSlidingWindowSize = 1_000_000;

    /// <summary>The most keys a keyed group may be allowed to hold at once.</summary>
    public const int MaxMaxKeys = 1_000_000;

    /// <summary>The longest timeout: <c>uint.MaxValue - 1</c> ms (about 49.7 days), the longest delay <c>CancellationTokenSource</c> and <c>Task.WaitAsync</c> accept.</summary>
    public const double MaxTimeoutMs = 4_294_967_294;

    public static string? Ratio(double value) =>
        value > 0 && value <= 1 ? null : "must be greater than 0 and at most 1";

    public static string? MinimumThroughput(double value) => AtLeastOne(value);

    public static string? SlidingWindowSize(double value) =>
        value >= 1 && value <= MaxSlidingWindowSize ? null : "must be between 1 and " + Format(MaxSlidingWindowSize);

    public static string? SamplingDurationMs(double value) =>
        value >= 0 ? null : "must be 0 (a count-based window) or positive (a time-based window)";

    public static string? ConsecutiveFailureThreshold(double value) =>
        value >= 0 ? null : "must be 0 (off) or positive";

    public static string? BreakDurationMs(double value) => Positive(value);

    public static string? SuccessThreshold(double value) => AtLeastOne(value);

    public static string? TimeoutMs(double value) =>
        value < 0 ? "must be 0 (no timeout) or positive"
        : value > MaxTimeoutMs ? "must be at most " + Format(MaxTimeoutMs) + " ms (about 49.7 days), the longest a CancellationTokenSource accepts"
        : null;

    public static string? SlowCallDurationMs(double value) => Positive(value);

    public static string? BreakDurationMultiplier(double value) =>
        value >= 1 && !double.IsInfinity(value) ? null : "must be a finite number of at least 1";

    public static string? MaxBreakDurationMs(double value) => Positive(value);

    public static string? MaxRetryAfterMs(double value) => Positive(value);

    public static string? MaxKeys(double value) =>
        value >= 1 && value <= MaxMaxKeys ? null : "must be between 1 and " + Format(MaxMaxKeys);

    public static string? KeyIdleTimeoutMs(double value) => Positive(value);

    /// <summary>A break's end is spread by up to this share of its length either way: a share, never the whole break.</summary>
    public static string? BreakJitterRatio(double value) =>
        value >= 0 && value < 1 ? null : "must be at least 0 (no jitter) and less than 1";

    /// <summary>For a count-based window: the window must be able to hold <c>MinimumThroughput</c> calls (said of the window).</summary>
    public static string? WindowHoldsThroughput(double window, double throughput) =>
        window >= throughput ? null : "must be at least MinimumThroughput (" + Format(throughput) + "): " + NeverReached(window);

    /// <summary>The same rule said of <c>MinimumThroughput</c>, for when that is the setting written out.</summary>
    public static string? ThroughputFitsWindow(double throughput, double window) =>
        window >= throughput ? null : "must be at most SlidingWindowSize (" + Format(window) + "): " + NeverReached(window);

    /// <summary>With back-off on, the longest break cannot be shorter than the first one.</summary>
    public static string? MaxBreakCoversBreak(double maxBreakMs, double breakMs, double multiplier) =>
        multiplier <= 1 || maxBreakMs >= breakMs ? null : "must be at least BreakDuration (" + Format(breakMs) + " ms) when BreakDurationMultiplier is above 1";

    /// <summary>A number as the messages write it: invariant, round-trippable (<c>0.5</c>, <c>1000000</c>, <c>NaN</c>).</summary>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string? AtLeastOne(double value) => value >= 1 ? null : "must be at least 1";

    private static string? Positive(double value) => value > 0 ? null : "must be positive";

    private static string NeverReached(double window) => "a window of " + Format(window) + " calls can never reach it";
}
