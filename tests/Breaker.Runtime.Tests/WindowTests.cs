using System;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Runtime.Tests;

public sealed class WindowTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void A_count_based_window_holds_exactly_the_last_N_calls()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o => { o.SlidingWindowSize = 5; o.MinimumThroughput = 5; o.FailureRatio = 0.8; });

        breaker.Fail(3);
        breaker.Succeed(2);
        Assert.Equal(0.6, breaker.GetMetrics().FailureRate);

        breaker.Succeed(1); // evicts the first failure
        Assert.Equal(0.4, breaker.GetMetrics().FailureRate);
        Assert.Equal(5, breaker.GetMetrics().WindowCalls);

        breaker.Succeed(2); // evicts the other two failures
        Assert.Equal(0.0, breaker.GetMetrics().FailureRate);

        breaker.Fail(3);
        Assert.Equal(CircuitState.Closed, breaker.State); // 3 of 5
        breaker.Fail(1);
        Assert.Equal(CircuitState.Open, breaker.State); // 4 of 5 meets 0.8
    }

    [Fact]
    public void A_count_based_window_of_one_judges_the_last_call_alone()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o => { o.SlidingWindowSize = 1; o.MinimumThroughput = 1; o.FailureRatio = 1.0; });

        breaker.Succeed(5);
        Assert.Equal(1, breaker.GetMetrics().WindowCalls);
        breaker.Fail(1);

        Assert.Equal(CircuitState.Open, breaker.State);
    }

    [Fact]
    public void A_count_based_window_wraps_many_times_without_drift()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o => { o.SlidingWindowSize = 7; o.MinimumThroughput = 7; o.FailureRatio = 1.0; o.SlowCallRatio = 1.0; });

        for (int i = 0; i < 1000; i++)
        {
            if (i % 3 == 0)
            {
                breaker.Fail(1);
            }
            else
            {
                breaker.Succeed(1);
            }
        }

        // The last 7 calls are i = 993..999, of which 993, 996 and 999 failed.
        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        Assert.Equal(7, metrics.WindowCalls);
        Assert.Equal(3.0 / 7, metrics.FailureRate);
    }

    [Theory]
    [InlineData(-1, 3, 2, 0, 3, 2)] // a call swapped out of its slot before its own count was added
    [InlineData(5, -2, 4, 5, 0, 4)]
    [InlineData(7, 1, -1, 7, 1, 0)]
    [InlineData(-3, -1, -2, 0, 0, 0)]
    [InlineData(1_000_000, 1_000_000, 1_000_000, 1_000_000, 1_000_000, 1_000_000)] // the largest window, every call failed and slow
    public void A_count_based_windows_totals_read_mid_race_never_corrupt_a_neighbouring_count(int calls, int failures, int slow, int readCalls, int readFailures, int readSlow)
    {
        // Record and Clear each swap a slot, then add the difference to the packed totals: between the two, a field can
        // be a little below zero. The reader sees it as zero, and the fields above it as they are.
        long packed = calls + ((long)failures << 21) + ((long)slow << 42);

        Breaker.Windows.WindowCounts counts = Breaker.Windows.CountSlidingWindow.Decode(packed);

        Assert.Equal((readCalls, readFailures, readSlow), ((int)counts.Calls, (int)counts.Failures, (int)counts.SlowCalls));
    }

    [Fact]
    public void A_time_based_window_spans_ten_buckets_of_a_tenth_of_the_sampling_duration()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o => { o.SamplingDuration = TimeSpan.FromSeconds(10); o.MinimumThroughput = 100; });
        AlignToBucket(TimeSpan.FromSeconds(1));

        breaker.Fail(2); // bucket 0
        _time.Advance(TimeSpan.FromSeconds(1));
        breaker.Succeed(3); // bucket 1
        _time.Advance(TimeSpan.FromSeconds(9) - TimeSpan.FromTicks(1)); // still bucket 9: nothing aged out
        Assert.Equal(5, breaker.GetMetrics().WindowCalls);

        _time.Advance(TimeSpan.FromTicks(1)); // bucket 10: bucket 0 ages out, 9/10 of the window later
        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        Assert.Equal(3, metrics.WindowCalls);
        Assert.Equal(0.0, metrics.FailureRate);

        _time.Advance(TimeSpan.FromSeconds(1)); // bucket 11: bucket 1 ages out too
        Assert.Equal(0, breaker.GetMetrics().WindowCalls);
    }

    [Fact]
    public void A_time_based_window_keeps_a_call_for_at_least_nine_tenths_and_less_than_the_whole_duration()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o => { o.SamplingDuration = TimeSpan.FromSeconds(10); o.MinimumThroughput = 100; });
        AlignToBucket(TimeSpan.FromSeconds(1));
        _time.Advance(TimeSpan.FromSeconds(1) - TimeSpan.FromTicks(1)); // the last tick of a bucket

        breaker.Succeed(1);
        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(1, breaker.GetMetrics().WindowCalls); // 9 s later: still there

        _time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(0, breaker.GetMetrics().WindowCalls);
    }

    [Fact]
    public void A_time_based_window_forgets_everything_after_a_long_silence()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o => { o.SamplingDuration = TimeSpan.FromSeconds(10); o.MinimumThroughput = 3; });

        breaker.Fail(2);
        _time.Advance(TimeSpan.FromHours(1));
        breaker.Fail(2);

        Assert.Equal(CircuitState.Closed, breaker.State); // only 2 calls in the window
        Assert.Equal(2, breaker.GetMetrics().WindowCalls);
        breaker.Fail(1);
        Assert.Equal(CircuitState.Open, breaker.State);
    }

    [Fact]
    public void A_time_based_window_trips_on_the_ratio_like_a_count_based_one()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o => { o.SamplingDuration = TimeSpan.FromSeconds(10); o.MinimumThroughput = 4; o.FailureRatio = 0.5; });

        breaker.Succeed(2);
        _time.Advance(TimeSpan.FromSeconds(3));
        breaker.Fail(1);
        Assert.Equal(CircuitState.Closed, breaker.State);
        breaker.Fail(1);

        Assert.Equal(CircuitState.Open, breaker.State);
    }

    [Fact]
    public void A_time_based_window_ignores_the_sliding_window_size()
    {
        var options = new CircuitBreakerOptions { SamplingDuration = TimeSpan.FromSeconds(1), SlidingWindowSize = 1, MinimumThroughput = 50 };

        options.Validate();
        var breaker = new CircuitBreaker("time", options, _time);
        breaker.Succeed(60);
        Assert.Equal(60, breaker.GetMetrics().WindowCalls);
    }

    private void AlignToBucket(TimeSpan width)
    {
        long remainder = _time.GetTimestamp() % width.Ticks;
        if (remainder != 0)
        {
            _time.Advance(TimeSpan.FromTicks(width.Ticks - remainder));
        }
    }
}
