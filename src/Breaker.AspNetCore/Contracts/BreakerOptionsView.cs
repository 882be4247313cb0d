namespace Breaker.AspNetCore.Contracts;

/// <summary>The options in force for one breaker, durations in milliseconds (0 = off where the option allows it).</summary>
internal sealed record BreakerOptionsView(
    double FailureRatio,
    int MinimumThroughput,
    int SlidingWindowSize,
    double SamplingDurationMs,
    int ConsecutiveFailureThreshold,
    double BreakDurationMs,
    int SuccessThreshold,
    double TimeoutMs,
    double SlowCallDurationMs,
    double SlowCallRatio,
    double BreakDurationMultiplier,
    double MaxBreakDurationMs)
{
    public static BreakerOptionsView From(CircuitBreakerOptions options) => new(
        options.FailureRatio,
        options.MinimumThroughput,
        options.SlidingWindowSize,
        options.SamplingDuration.TotalMilliseconds,
        options.ConsecutiveFailureThreshold,
        options.BreakDuration.TotalMilliseconds,
        options.SuccessThreshold,
        options.Timeout.TotalMilliseconds,
        options.SlowCallDuration.TotalMilliseconds,
        options.SlowCallRatio,
        options.BreakDurationMultiplier,
        options.MaxBreakDuration.TotalMilliseconds);
}
