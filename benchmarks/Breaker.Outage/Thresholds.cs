using System;
using Polly;
using Microsoft.Extensions.Http.Resilience;

namespace Breaker.Outage;

/// <summary>
/// The thresholds every breaker arm shares, written once and handed to Polly and to Breaker: half the calls failing over a
/// 10-second window of at least 20 calls opens the circuit for 5 seconds, and one successful probe closes it.
/// </summary>
public static class Thresholds
{
    public const double FailureRatio = 0.5;
    public const int MinimumThroughput = 20;
    public static readonly TimeSpan SamplingDuration = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(5);

    /// <summary>Polly's half-open state lets one call through; Breaker is told to do the same.</summary>
    public const int SuccessThreshold = 1;

    /// <summary>For the in-flight arm: a call running a quarter of the timeout is slow.</summary>
    public static TimeSpan SlowCallDuration(TimeSpan callTimeout) => callTimeout / 4;

    /// <summary>Breaker's options for an arm (the timeout is the breaker's own, as docs/http.md advises).</summary>
    public static void Apply(CircuitBreakerOptions options, TimeSpan callTimeout, bool countSlowCallsInFlight)
    {
        options.FailureRatio = FailureRatio;
        options.MinimumThroughput = MinimumThroughput;
        options.SamplingDuration = SamplingDuration;
        options.BreakDuration = BreakDuration;
        options.SuccessThreshold = SuccessThreshold;
        options.Timeout = callTimeout;
        if (countSlowCallsInFlight)
        {
            options.SlowCallDuration = SlowCallDuration(callTimeout);
            options.SlowCallRatio = FailureRatio;
            options.CountSlowCallsInFlight = true;
        }
    }

    /// <summary>Polly's options: the same figures (its half-open state always admits one call).</summary>
    public static void Apply(ResiliencePipelineBuilder<System.Net.Http.HttpResponseMessage> pipeline, TimeSpan callTimeout)
    {
        pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
        {
            FailureRatio = FailureRatio,
            MinimumThroughput = MinimumThroughput,
            SamplingDuration = SamplingDuration,
            BreakDuration = BreakDuration,
        });
        pipeline.AddTimeout(callTimeout);
    }

    /// <summary>Polly's exception for a rejection (its BrokenCircuitException and IsolatedCircuitException).</summary>
    public static bool IsPollyRejection(Exception e) => e is Polly.CircuitBreaker.BrokenCircuitException;
}
