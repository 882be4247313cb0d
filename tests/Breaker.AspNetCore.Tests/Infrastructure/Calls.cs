using System;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.AspNetCore.Tests.Infrastructure;

/// <summary>Drives breakers the way guarded calls do: take a permit, report one outcome.</summary>
internal static class Calls
{
    public static void Fail(CircuitBreaker breaker, int count)
    {
        for (int i = 0; i < count; i++)
        {
            CircuitPermit permit = breaker.TryAcquire();
            if (permit.IsGranted)
            {
                permit.RecordFailure(new TimeoutException("the dependency did not answer"), FailureKind.Timeout);
            }
        }
    }

    public static void Succeed(CircuitBreaker breaker, int count)
    {
        for (int i = 0; i < count; i++)
        {
            CircuitPermit permit = breaker.TryAcquire();
            if (permit.IsGranted)
            {
                permit.RecordSuccess();
            }
        }
    }

    /// <summary>One call that takes <paramref name="duration"/> on the fake clock, then succeeds or fails.</summary>
    public static void Timed(CircuitBreaker breaker, FakeTimeProvider time, TimeSpan duration, bool fails)
    {
        CircuitPermit permit = breaker.TryAcquire();
        if (!permit.IsGranted)
        {
            return;
        }

        time.Advance(duration);
        if (fails)
        {
            permit.RecordFailure(new InvalidOperationException("the dependency failed"));
        }
        else
        {
            permit.RecordSuccess();
        }
    }

    /// <summary>Lets time pass as a real clock would, a second at a time, so that timers (the monitor's sampler) fire at each instant.</summary>
    public static void Pass(FakeTimeProvider time, TimeSpan span)
    {
        for (TimeSpan passed = TimeSpan.Zero; passed < span; passed += TimeSpan.FromSeconds(1))
        {
            time.Advance(TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>Options under which a breaker opens after <paramref name="minimumThroughput"/> calls of which half fail.</summary>
    public static Action<CircuitBreakerOptions> Sensitive(int minimumThroughput = 2) => options =>
    {
        options.MinimumThroughput = minimumThroughput;
        options.SlidingWindowSize = 20;
        options.FailureRatio = 0.5;
    };
}
