using System;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Runtime.Tests;

/// <summary>Builds breakers on a fake clock and drives them through the permission protocol.</summary>
internal static class TestBreakers
{
    private static int s_counter;

    /// <summary>A name no other test uses (the meter is static, so telemetry tests filter on it).</summary>
    public static string UniqueName(string prefix = "test") => $"{prefix}-{System.Threading.Interlocked.Increment(ref s_counter)}-{Guid.NewGuid():N}";

    public static CircuitBreaker Create(FakeTimeProvider time, Action<CircuitBreakerOptions>? configure = null, string? name = null)
    {
        var options = new CircuitBreakerOptions
        {
            MinimumThroughput = 4,
            SlidingWindowSize = 10,
            FailureRatio = 0.5,
            BreakDuration = TimeSpan.FromSeconds(30),
            SuccessThreshold = 2,
            SlowCallDuration = TimeSpan.FromSeconds(5),
            SlowCallRatio = 1.0,
        };
        configure?.Invoke(options);
        return new CircuitBreaker(name ?? UniqueName(), options, time);
    }

    public static void Succeed(this CircuitBreaker breaker, int times = 1)
    {
        for (int i = 0; i < times; i++)
        {
            CircuitPermit permit = breaker.TryAcquire();
            Assert.True(permit.IsGranted, $"call {i} was rejected in {breaker.State}");
            permit.RecordSuccess();
        }
    }

    public static void Fail(this CircuitBreaker breaker, int times = 1)
    {
        for (int i = 0; i < times; i++)
        {
            CircuitPermit permit = breaker.TryAcquire();
            Assert.True(permit.IsGranted, $"call {i} was rejected in {breaker.State}");
            permit.RecordFailure(new InvalidOperationException("boom"));
        }
    }

    /// <summary>Opens a breaker made by <see cref="Create"/> (minimum 4 calls, ratio 0.5).</summary>
    public static void Trip(this CircuitBreaker breaker)
    {
        while (breaker.State == CircuitState.Closed)
        {
            breaker.Fail();
        }

        Assert.Equal(CircuitState.Open, breaker.State);
    }
}
