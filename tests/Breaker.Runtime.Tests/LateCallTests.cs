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

    [Fact]
    public void A_late_success_into_a_sealed_window_opens_nothing_whatever_that_window_holds()
    {
        var breaker = new CircuitBreaker(TestBreakers.UniqueName("seal"), SmallOptions(timeBased: false));
        CircuitPermit failed = breaker.TryAcquire();
        CircuitPermit late = breaker.TryAcquire();
        failed.RecordFailure(new InvalidOperationException("down")); // 1 call of 2 needed, over the ratio: armed

        object read = WindowField.GetValue(breaker)!;
        breaker.Reconfigure(SmallOptions(timeBased: true));
        breaker.Reconfigure(SmallOptions(timeBased: false));
        object current = WindowField.GetValue(breaker)!;
        WindowField.SetValue(breaker, read);
        late.RecordSuccess(); // the sealed window now holds a failure and a success: it would meet 0.5 of 2 calls
        WindowField.SetValue(breaker, current);

        // The breaker judges by no sealed window: the success is counted, and the circuit stays closed.
        Assert.Equal(CircuitState.Closed, breaker.State);
        Assert.Equal((1L, 1L), (breaker.GetMetrics().SuccessfulCalls, breaker.GetMetrics().FailedCalls));
    }

    private static CircuitBreakerOptions SmallOptions(bool timeBased) => new()
    {
        SlidingWindowSize = 10,
        MinimumThroughput = 2,
        FailureRatio = 0.5,
        SamplingDuration = timeBased ? TimeSpan.FromSeconds(30) : TimeSpan.Zero,
    };

    // The window field, reached by reflection: an UnsafeAccessor misses a volatile field on runtimes before its fix.
    private static readonly FieldInfo WindowField = typeof(CircuitBreaker).GetField("_window", BindingFlags.NonPublic | BindingFlags.Instance)!;

    private static CircuitBreakerOptions ReconfiguredOptions(bool timeBased) => new()
    {
        SlidingWindowSize = 100,
        MinimumThroughput = 100,
        SamplingDuration = timeBased ? TimeSpan.FromSeconds(30) : TimeSpan.Zero,
    };
}
