using System;
using System.Collections.Generic;
using System.Globalization;

namespace Breaker;

/// <summary>Says which options differ between two sets, for the breaker's configuration events ("FailureRatio 0.5 → 0.3; ...").</summary>
internal static class OptionChanges
{
    /// <summary>The changes from <paramref name="before"/> to <paramref name="after"/>, or an empty string when there are none.</summary>
    public static string Describe(CircuitBreakerOptions before, CircuitBreakerOptions after)
    {
        var changes = new List<string>();
        Compare(changes, nameof(CircuitBreakerOptions.FailureRatio), before.FailureRatio, after.FailureRatio);
        Compare(changes, nameof(CircuitBreakerOptions.MinimumThroughput), before.MinimumThroughput, after.MinimumThroughput);
        Compare(changes, nameof(CircuitBreakerOptions.SlidingWindowSize), before.SlidingWindowSize, after.SlidingWindowSize);
        Compare(changes, nameof(CircuitBreakerOptions.SamplingDuration), before.SamplingDuration, after.SamplingDuration);
        Compare(changes, nameof(CircuitBreakerOptions.ConsecutiveFailureThreshold), before.ConsecutiveFailureThreshold, after.ConsecutiveFailureThreshold);
        Compare(changes, nameof(CircuitBreakerOptions.BreakDuration), before.BreakDuration, after.BreakDuration);
        Compare(changes, nameof(CircuitBreakerOptions.SuccessThreshold), before.SuccessThreshold, after.SuccessThreshold);
        Compare(changes, nameof(CircuitBreakerOptions.Timeout), before.Timeout, after.Timeout);
        Compare(changes, nameof(CircuitBreakerOptions.SlowCallDuration), before.SlowCallDuration, after.SlowCallDuration);
        Compare(changes, nameof(CircuitBreakerOptions.SlowCallRatio), before.SlowCallRatio, after.SlowCallRatio);
        Compare(changes, nameof(CircuitBreakerOptions.CountSlowCallsInFlight), before.CountSlowCallsInFlight, after.CountSlowCallsInFlight);
        Compare(changes, nameof(CircuitBreakerOptions.BreakDurationMultiplier), before.BreakDurationMultiplier, after.BreakDurationMultiplier);
        Compare(changes, nameof(CircuitBreakerOptions.MaxBreakDuration), before.MaxBreakDuration, after.MaxBreakDuration);
        Compare(changes, nameof(CircuitBreakerOptions.MaxRetryAfter), before.MaxRetryAfter, after.MaxRetryAfter);
        Compare(changes, nameof(CircuitBreakerOptions.MaxKeys), before.MaxKeys, after.MaxKeys);
        Compare(changes, nameof(CircuitBreakerOptions.KeyIdleTimeout), before.KeyIdleTimeout, after.KeyIdleTimeout);
        Compare(changes, nameof(CircuitBreakerOptions.MetricsPerKey), before.MetricsPerKey, after.MetricsPerKey);
        Compare(changes, nameof(CircuitBreakerOptions.BreakJitterRatio), before.BreakJitterRatio, after.BreakJitterRatio);
        Compare(changes, nameof(CircuitBreakerOptions.BreakJitterSeed), before.BreakJitterSeed, after.BreakJitterSeed);
        Replaced(changes, nameof(CircuitBreakerOptions.BreakDurationHook), before.BreakDurationHook, after.BreakDurationHook);
        Replaced(changes, nameof(CircuitBreakerOptions.ShouldHandle), before.ShouldHandle, after.ShouldHandle);

        return string.Join("; ", changes);
    }

    private static void Compare<T>(List<string> changes, string name, T before, T after)
        where T : struct, IEquatable<T>
    {
        if (!before.Equals(after))
        {
            changes.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {before} → {after}"));
        }
    }

    private static void Compare(List<string> changes, string name, int? before, int? after)
    {
        if (before != after)
        {
            changes.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {before?.ToString(CultureInfo.InvariantCulture) ?? "none"} → {after?.ToString(CultureInfo.InvariantCulture) ?? "none"}"));
        }
    }

    // Code is compared by reference: a new delegate is a change, whatever it does.
    private static void Replaced(List<string> changes, string name, Delegate? before, Delegate? after)
    {
        if (!Equals(before, after))
        {
            changes.Add(name + (after is null ? " removed" : before is null ? " set" : " replaced"));
        }
    }

    private static void Compare(List<string> changes, string name, TimeSpan before, TimeSpan after)
    {
        if (before != after)
        {
            changes.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {before.TotalMilliseconds} ms → {after.TotalMilliseconds} ms"));
        }
    }
}
