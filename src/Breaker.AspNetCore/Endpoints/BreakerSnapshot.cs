using System;

namespace Breaker.AspNetCore.Endpoints;

/// <summary>
/// One breaker with its metrics and options, each read once for the answer being built, so every part of the answer agrees
/// (and the options, a copy on each read, are copied once).
/// </summary>
internal sealed record BreakerSnapshot(CircuitBreaker Breaker, CircuitBreakerMetrics Metrics, CircuitBreakerOptions Options)
{
    /// <summary>1 or more once a ratio threshold is reached: the window's failure or slow-call rate over its threshold.</summary>
    public double Pressure { get; } = Math.Max(Metrics.FailureRate / Options.FailureRatio, Metrics.SlowCallRate / Options.SlowCallRatio);

    public static BreakerSnapshot Take(CircuitBreaker breaker) => new(breaker, breaker.GetMetrics(), breaker.Options);
}
