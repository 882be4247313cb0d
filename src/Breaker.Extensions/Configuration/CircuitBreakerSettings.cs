using System;

namespace Breaker;

/// <summary>
/// The settings of one breaker as configuration states them. Every property is optional: one left out keeps the value
/// the code gave (the <c>[CircuitBreaker]</c> attribute or <c>AddCircuitBreaker</c>), or the library default.
/// </summary>
public sealed class CircuitBreakerSettings
{
    /// <summary>Overrides <see cref="CircuitBreakerOptions.FailureRatio"/>.</summary>
    public double? FailureRatio { get; set; }

    /// <summary>Overrides <see cref="CircuitBreakerOptions.MinimumThroughput"/>.</summary>
    public int? MinimumThroughput { get; set; }

    /// <summary>Overrides <see cref="CircuitBreakerOptions.SlidingWindowSize"/>.</summary>
    public int? SlidingWindowSize { get; set; }

    /// <summary>Overrides <see cref="CircuitBreakerOptions.SamplingDuration"/>, e.g. <c>"00:00:30"</c>.</summary>
    public TimeSpan? SamplingDuration { get; set; }

    /// <summary>Overrides <see cref="CircuitBreakerOptions.ConsecutiveFailureThreshold"/>.</summary>
    public int? ConsecutiveFailureThreshold { get; set; }

    /// <summary>Overrides <see cref="CircuitBreakerOptions.BreakDuration"/>, e.g. <c>"00:00:30"</c>.</summary>
    public TimeSpan? BreakDuration { get; set; }

    /// <summary>Overrides <see cref="CircuitBreakerOptions.SuccessThreshold"/>.</summary>
    public int? SuccessThreshold { get; set; }

    /// <summary>Overrides <see cref="CircuitBreakerOptions.Timeout"/>, e.g. <c>"00:00:05"</c>.</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>Overrides <see cref="CircuitBreakerOptions.SlowCallDuration"/>.</summary>
    public TimeSpan? SlowCallDuration { get; set; }

    /// <summary>Overrides <see cref="CircuitBreakerOptions.SlowCallRatio"/>.</summary>
    public double? SlowCallRatio { get; set; }

    /// <summary>Overrides <see cref="CircuitBreakerOptions.CountSlowCallsInFlight"/> (notice slow calls before they end).</summary>
    public bool? CountSlowCallsInFlight { get; set; }

    /// <summary>Overrides <see cref="CircuitBreakerOptions.BreakDurationMultiplier"/>.</summary>
    public double? BreakDurationMultiplier { get; set; }

    /// <summary>Overrides <see cref="CircuitBreakerOptions.MaxBreakDuration"/>.</summary>
    public TimeSpan? MaxBreakDuration { get; set; }

    /// <summary>Overrides <see cref="CircuitBreakerOptions.MaxRetryAfter"/>.</summary>
    public TimeSpan? MaxRetryAfter { get; set; }

    /// <summary>Overrides <see cref="CircuitBreakerOptions.MaxKeys"/> (a keyed group's bound on live keys).</summary>
    public int? MaxKeys { get; set; }

    /// <summary>Overrides <see cref="CircuitBreakerOptions.KeyIdleTimeout"/> (how long a keyed group's key goes unused before it may be evicted).</summary>
    public TimeSpan? KeyIdleTimeout { get; set; }

    /// <summary>Overrides <see cref="CircuitBreakerOptions.MetricsPerKey"/> (a keyed group's metrics per key).</summary>
    public bool? MetricsPerKey { get; set; }

    /// <summary>Overrides <see cref="CircuitBreakerOptions.BreakJitterRatio"/>, e.g. <c>0.1</c> for ±10%.</summary>
    public double? BreakJitterRatio { get; set; }

    /// <summary>Overrides <see cref="CircuitBreakerOptions.BreakJitterSeed"/>.</summary>
    public int? BreakJitterSeed { get; set; }

    /// <summary>Copies every setting that has a value onto <paramref name="options"/>.</summary>
    /// <param name="options">The options to change.</param>
    public void ApplyTo(CircuitBreakerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.FailureRatio = FailureRatio ?? options.FailureRatio;
        options.MinimumThroughput = MinimumThroughput ?? options.MinimumThroughput;
        options.SlidingWindowSize = SlidingWindowSize ?? options.SlidingWindowSize;
        options.SamplingDuration = SamplingDuration ?? options.SamplingDuration;
        options.ConsecutiveFailureThreshold = ConsecutiveFailureThreshold ?? options.ConsecutiveFailureThreshold;
        options.BreakDuration = BreakDuration ?? options.BreakDuration;
        options.SuccessThreshold = SuccessThreshold ?? options.SuccessThreshold;
        options.Timeout = Timeout ?? options.Timeout;
        options.SlowCallDuration = SlowCallDuration ?? options.SlowCallDuration;
        options.SlowCallRatio = SlowCallRatio ?? options.SlowCallRatio;
        options.CountSlowCallsInFlight = CountSlowCallsInFlight ?? options.CountSlowCallsInFlight;
        options.BreakDurationMultiplier = BreakDurationMultiplier ?? options.BreakDurationMultiplier;
        options.MaxBreakDuration = MaxBreakDuration ?? options.MaxBreakDuration;
        options.MaxRetryAfter = MaxRetryAfter ?? options.MaxRetryAfter;
        options.MaxKeys = MaxKeys ?? options.MaxKeys;
        options.KeyIdleTimeout = KeyIdleTimeout ?? options.KeyIdleTimeout;
        options.MetricsPerKey = MetricsPerKey ?? options.MetricsPerKey;
        options.BreakJitterRatio = BreakJitterRatio ?? options.BreakJitterRatio;
        options.BreakJitterSeed = BreakJitterSeed ?? options.BreakJitterSeed;
    }
}
