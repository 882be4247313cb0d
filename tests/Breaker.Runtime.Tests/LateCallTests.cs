using System;
using System.Reflection;

namespace Breaker.Runtime.Tests;

/// <summary>
/// A call that read the window before two reconfigurations records into a sealed window (issue 26): the breaker counts
/// it once, itself. Deterministic: the stale read is put back by reflection for one call, on one thread. The window's side
/// is in <see cref="WindowSealTests"/>; the race that found it in <see cref="PublishedCountTests"/>.
/// </summary>
public sealed class LateCallTests
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void A_call_that_read_the_window_before_two_reconfigurations_is_counted_once(bool staleWindowIsTimeBased, bool fails)
    {
        var breaker = new CircuitBreaker(TestBreakers.UniqueName("seal"), ReconfiguredOptions(staleWindowIsTimeBased));
        CircuitPermit permit = breaker.TryAcquire();

        // The call's thread reads the window, and is descheduled before it records while the options change twice.
        object read = WindowField.GetValue(breaker)!;
        breaker.Reconfigure(ReconfiguredOptions(!staleWindowIsTimeBased));
        breaker.Reconfigure(ReconfiguredOptions(staleWindowIsTimeBased));

        // It resumes and records into the window it read: the only way to make OnSuccess or OnFailure read that window
        // again is to put it back for this one call (no other thread uses the breaker meanwhile).
        object current = WindowField.GetValue(breaker)!;
        WindowField.SetValue(breaker, read);
        if (fails)
        {
            permit.RecordFailure(new InvalidOperationException("late"));
        }
        else
        {
            permit.RecordSuccess();
        }

        WindowField.SetValue(breaker, current);
        breaker.Succeed();

        // Before the seal the late call was lost: a late success was published as none, a late failure took a success with it.
        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        Assert.Equal((fails ? 1L : 2L, fails ? 1L : 0L), (metrics.SuccessfulCalls, metrics.FailedCalls));
        Assert.Equal(1, metrics.WindowCalls); // the late call is in no window the breaker judges by
    }

    // The window field, reached by reflection: an UnsafeAccessor misses a volatile field on runtimes before its fix.
    private static readonly FieldInfo WindowField = typeof(CircuitBreaker).GetField("_window", BindingFlags.NonPublic | BindingFlags.Instance)!;

    private static CircuitBreakerOptions ReconfiguredOptions(bool timeBased) => new()
    {
        SlidingWindowSize = 100,
        MinimumThroughput = 100,
        SamplingDuration = timeBased ? TimeSpan.FromSeconds(30) : TimeSpan.Zero,
    };
}
