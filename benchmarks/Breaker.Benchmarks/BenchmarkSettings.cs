using System;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;

namespace Breaker.Benchmarks;

/// <summary>The settings every benchmark uses, for Breaker and Polly alike: ratio 0.5, 10 calls, a 30 s time window, a 60 s break.</summary>
internal static class BenchmarkSettings
{
    public const double FailureRatio = 0.5;
    public const int MinimumThroughput = 10;
    public const int SamplingDurationMs = 30_000;
    public const int BreakDurationMs = 60_000;

    public static CircuitBreakerOptions BreakerOptions() => new()
    {
        FailureRatio = FailureRatio,
        MinimumThroughput = MinimumThroughput,
        SamplingDuration = TimeSpan.FromMilliseconds(SamplingDurationMs),
        BreakDuration = TimeSpan.FromMilliseconds(BreakDurationMs),
    };

    public static ResiliencePipeline<int> PollyPipeline() => PollyBuilder().Build();

    /// <summary>The same pipeline with Polly's telemetry on, the documented way (Polly.Extensions' <c>ConfigureTelemetry</c>).</summary>
    public static ResiliencePipeline<int> PollyPipelineWithTelemetry(ILoggerFactory loggerFactory) =>
        PollyBuilder().ConfigureTelemetry(loggerFactory).Build();

    private static ResiliencePipelineBuilder<int> PollyBuilder() => new ResiliencePipelineBuilder<int>()
        .AddCircuitBreaker(new CircuitBreakerStrategyOptions<int>
        {
            FailureRatio = FailureRatio,
            MinimumThroughput = MinimumThroughput,
            SamplingDuration = TimeSpan.FromMilliseconds(SamplingDurationMs),
            BreakDuration = TimeSpan.FromMilliseconds(BreakDurationMs),
            ShouldHandle = static args => new ValueTask<bool>(args.Outcome.Exception is not null),
        });
}
