using System;
using System.Linq;
using Breaker.Windows;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Runtime.Tests;

/// <summary>
/// GetMetrics' p50, p95 and p99: the durations of the calls in the window (the last N calls, or the last SamplingDuration),
/// each within 12.5% of the true percentile, with bounded memory whatever the window's size.
/// </summary>
public sealed class DurationPercentileTests
{
    private readonly FakeTimeProvider _time = new();

    [Theory]
    [InlineData(1_000_000_000L, 64.1)] // Linux: 512 ns units
    [InlineData(10_000_000L, 100.2)] // Windows and FakeTimeProvider: 0.8 µs units
    public void The_last_duration_bin_starts_where_the_docs_say(long frequency, double minutes)
    {
        int shift = Breaker.Windows.DurationBins.UnitShift(frequency);
        long start = (long)(7L << 30) << shift; // 1.75 × 2^32 units, in timestamp ticks

        Assert.Equal(Breaker.Windows.DurationBins.Count - 1, Breaker.Windows.DurationBins.Of(start, shift));
        Assert.Equal(Breaker.Windows.DurationBins.Count - 2, Breaker.Windows.DurationBins.Of(start - (1L << shift), shift));
        Assert.Equal(minutes, Math.Round(start / (double)frequency / 60, 1));
    }

    [Fact]
    public void A_count_based_window_reports_the_percentiles_of_its_last_calls()
    {
        CircuitBreaker breaker = Create(o => (o.SlidingWindowSize, o.MinimumThroughput) = (100, 100));
        Assert.Null(breaker.GetMetrics().DurationP50);
        for (int i = 0; i < 200; i++)
        {
            Call(breaker, TimeSpan.FromSeconds(2)); // pushed out by the next 100
        }

        for (int ms = 1; ms <= 100; ms++)
        {
            Call(breaker, TimeSpan.FromMilliseconds(ms));
        }

        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        AssertNear(50, metrics.DurationP50);
        AssertNear(95, metrics.DurationP95);
        AssertNear(99, metrics.DurationP99);
    }

    [Fact]
    public void A_window_of_a_hundred_thousand_calls_is_read_from_an_even_sample()
    {
        CircuitBreaker breaker = Create(o => (o.SlidingWindowSize, o.MinimumThroughput) = (100_000, 100_000));
        for (int i = 0; i < 100_000; i++)
        {
            Call(breaker, TimeSpan.FromMilliseconds(i % 10 < 8 ? 5 : 80)); // 80% at 5 ms, 20% at 80 ms
        }

        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        AssertNear(5, metrics.DurationP50);
        AssertNear(80, metrics.DurationP95);
        AssertNear(80, metrics.DurationP99);
    }

    [Fact]
    public void A_time_based_window_forgets_the_durations_of_calls_that_aged_out()
    {
        CircuitBreaker breaker = Create(o => (o.SamplingDuration, o.MinimumThroughput) = (TimeSpan.FromSeconds(10), 1000));
        for (int i = 0; i < 20; i++)
        {
            Call(breaker, TimeSpan.FromMilliseconds(100));
        }

        _time.Advance(TimeSpan.FromSeconds(6));
        for (int i = 0; i < 20; i++)
        {
            Call(breaker, TimeSpan.FromMilliseconds(300));
        }

        AssertNear(300, breaker.GetMetrics().DurationP95);
        AssertNear(100, breaker.GetMetrics().DurationP50, within: 3.0); // half the calls each side of the median

        _time.Advance(TimeSpan.FromSeconds(6));
        AssertNear(300, breaker.GetMetrics().DurationP50);

        _time.Advance(TimeSpan.FromSeconds(11));
        Assert.Null(breaker.GetMetrics().DurationP99);
    }

    [Fact]
    public void Calls_that_took_no_measurable_time_are_counted_without_a_write_of_their_own()
    {
        CircuitBreaker breaker = Create(o => (o.SamplingDuration, o.MinimumThroughput) = (TimeSpan.FromSeconds(10), 1000));
        for (int i = 0; i < 90; i++)
        {
            breaker.TryAcquire().RecordSuccess(); // no time passes: bin 0, derived from the window's call count
        }

        for (int i = 0; i < 10; i++)
        {
            Call(breaker, TimeSpan.FromMilliseconds(200));
        }

        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        Assert.True(metrics.DurationP50 < TimeSpan.FromMilliseconds(0.01), $"p50 was {metrics.DurationP50}");
        AssertNear(200, metrics.DurationP95);
        AssertNear(200, metrics.DurationP99);
    }

    [Fact]
    public void The_window_emptied_by_a_recovery_has_no_percentile_until_calls_come()
    {
        CircuitBreaker breaker = Create(o => (o.SlidingWindowSize, o.MinimumThroughput, o.SuccessThreshold, o.FailureRatio) = (10, 4, 1, 0.5));
        Call(breaker, TimeSpan.FromMilliseconds(40));
        breaker.Trip();
        AssertNear(40, breaker.GetMetrics().DurationP99); // the open circuit keeps the calls that opened it
        _time.Advance(TimeSpan.FromSeconds(30));
        breaker.Succeed(1);

        Assert.Null(breaker.GetMetrics().DurationP50);
        Call(breaker, TimeSpan.FromMilliseconds(7));
        AssertNear(7, breaker.GetMetrics().DurationP99);
    }

    [Fact]
    public void A_call_of_three_days_lands_in_the_last_bin_without_overflowing()
    {
        CircuitBreaker breaker = Create(o => o.SlidingWindowSize = 10);
        Call(breaker, TimeSpan.FromDays(3));

        TimeSpan p99 = breaker.GetMetrics().DurationP99!.Value;
        Assert.InRange(p99, TimeSpan.FromMinutes(70), TimeSpan.FromDays(3));
    }

    [Theory]
    [InlineData(1_000_000_000L)] // Linux and macOS Stopwatch
    [InlineData(10_000_000L)] // Windows QPC, FakeTimeProvider
    [InlineData(1_000L)] // a coarse custom clock
    public void Every_duration_falls_in_a_bin_whose_midpoint_is_within_an_eighth_of_it_or_half_a_unit(long frequency)
    {
        int shift = DurationBins.UnitShift(frequency);
        Assert.Equal(0, DurationBins.Of(0, shift));
        Assert.Equal(0, DurationBins.Of(-5, shift));
        Assert.Equal(DurationBins.Count - 1, DurationBins.Of(long.MaxValue, shift));
        for (long ticks = 0; ticks < 4L << shift; ticks++)
        {
            // Under four units (about four microseconds) a bin is one unit wide: within half a unit.
            Assert.InRange(DurationBins.Midpoint(DurationBins.Of(ticks, shift), shift) - ticks, -0.5 * (1L << shift), 0.5 * (1L << shift));
        }

        var random = new Random(17);
        int previous = 0;
        for (long ticks = 4L << shift; ticks < (1L << (shift + 32)); ticks += 1 + (ticks / 50))
        {
            int bin = DurationBins.Of(ticks, shift);
            Assert.True(bin >= previous, $"bin {bin} after {previous} at {ticks}");
            previous = bin;
            long value = ticks + random.Next(0, 4);
            double midpoint = DurationBins.Midpoint(DurationBins.Of(value, shift), shift);
            Assert.InRange(midpoint, value * 0.875, value * 1.125);
        }
    }

    private CircuitBreaker Create(Action<CircuitBreakerOptions> configure) =>
        TestBreakers.Create(_time, o =>
        {
            o.FailureRatio = 1.0;
            o.SlowCallDuration = TimeSpan.FromHours(1);
            configure(o);
        });

    private void Call(CircuitBreaker breaker, TimeSpan duration)
    {
        CircuitPermit permit = breaker.TryAcquire();
        Assert.True(permit.IsGranted);
        _time.Advance(duration);
        permit.RecordSuccess();
    }

    /// <summary>Within 12.5% of <paramref name="ms"/> (the bins' precision), or within <paramref name="within"/> times it.</summary>
    private static void AssertNear(double ms, TimeSpan? actual, double within = 1.125)
    {
        Assert.NotNull(actual);
        Assert.InRange(actual.Value.TotalMilliseconds, ms / within, ms * within);
    }
}
