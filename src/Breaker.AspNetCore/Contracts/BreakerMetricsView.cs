using System;

namespace Breaker.AspNetCore.Contracts;

/// <summary>
/// One breaker's counters as the monitor sends them: durations in milliseconds, rates from 0 to 1; <c>awaitingProbe</c>
/// when the state is HalfOpen because the break is over but no call has arrived to start probing; the duration percentiles
/// of the calls in the window, <see langword="null"/> when it holds none.
/// </summary>
internal sealed record BreakerMetricsView(
    long TotalCalls,
    long SuccessfulCalls,
    long FailedCalls,
    long RejectedCalls,
    long IgnoredCalls,
    long FallbackCalls,
    long SlowCalls,
    long CircuitOpens,
    long CircuitCloses,
    long HalfOpenAttempts,
    long WindowCalls,
    double FailureRate,
    double SlowCallRate,
    double AverageDurationMs,
    double? RetryAfterMs,
    bool AwaitingProbe,
    double? DurationP50Ms,
    double? DurationP95Ms,
    double? DurationP99Ms)
{
    public static BreakerMetricsView From(CircuitBreakerMetrics metrics) => new(
        metrics.TotalCalls,
        metrics.SuccessfulCalls,
        metrics.FailedCalls,
        metrics.RejectedCalls,
        metrics.IgnoredCalls,
        metrics.FallbackCalls,
        metrics.SlowCalls,
        metrics.CircuitOpens,
        metrics.CircuitCloses,
        metrics.HalfOpenAttempts,
        metrics.WindowCalls,
        metrics.FailureRate,
        metrics.SlowCallRate,
        metrics.AverageDuration.TotalMilliseconds,
        metrics.RetryAfter is TimeSpan retryAfter ? retryAfter.TotalMilliseconds : null,
        metrics.AwaitingProbe,
        metrics.DurationP50?.TotalMilliseconds,
        metrics.DurationP95?.TotalMilliseconds,
        metrics.DurationP99?.TotalMilliseconds);
}
