using System;
using System.Linq;
using System.Threading;
using Breaker.AspNetCore.History;
using Breaker.AspNetCore.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.AspNetCore.Tests;

/// <summary>
/// The history's rounds skip the breakers nothing happened to (issue 25) and still draw every rate a user would see: a time
/// window's calls ageing out with no call, calls since the last round, a replaced window, a reset, a key evicted while a
/// round reads its group, a clock that goes back or leaps ahead. The rounds run on their own timer, on fake time. They run
/// alone: some count clock reads, and another test's meter listener collecting at the same time would read these breakers.
/// </summary>
[Collection(ClockReadingCollection.Name)]
public sealed class HistorySamplingTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);

    [Fact]
    public void A_time_window_with_no_more_calls_falls_to_zero_at_the_very_round_its_calls_age_out()
    {
        // A 10 s window: ten buckets of a second, so a call made at 0.5 s counts until 10 s and one made at 4.5 s until 14 s.
        var registry = new CircuitBreakerRegistry(_time);
        CircuitBreaker breaker = TimeWindow(registry, seconds: 10);
        using var history = new FailureRateHistory(registry);

        At(0.5);
        Calls.Fail(breaker, 1);
        Calls.Succeed(breaker, 3);
        At(4.5);
        Calls.Fail(breaker, 1);
        At(16);

        // Rounds at 2, 4, ... 16 s: 1 in 4, then 2 in 5, then the first calls gone (1 in 1), then none.
        Assert.Equal([0.25, 0.25, 0.4, 0.4, 1, 1, 0, 0], Rates(history, breaker));
    }

    [Fact]
    public void A_count_window_is_not_read_while_idle_and_is_read_at_the_round_after_a_call()
    {
        var clock = new ReadCountingClock(_time);
        var registry = new CircuitBreakerRegistry(clock);
        CircuitBreaker breaker = registry.GetOrAdd("counted", static o => o.MinimumThroughput = 100);
        using var history = new FailureRateHistory(registry);
        Calls.Fail(breaker, 1);
        Calls.Succeed(breaker, 1);
        At(2);

        long before = clock.Reads;
        At(8);

        // Three rounds: each reads the clock for its own time and nothing else (a count window does not age).
        Assert.Equal(3, clock.Reads - before);

        Calls.Succeed(breaker, 1);
        At(10);
        Assert.Equal([0.5, 0.5, 0.5, 0.5, 0.3333], Rates(history, breaker));
    }

    [Fact]
    public void Calls_counted_in_the_same_bucket_as_the_last_round_saw_are_read()
    {
        // A 60 s window: buckets of 6 s, so every call below lands in the bucket the previous round read.
        var registry = new CircuitBreakerRegistry(_time);
        CircuitBreaker breaker = TimeWindow(registry, seconds: 60);
        using var history = new FailureRateHistory(registry);

        At(0.5);
        Calls.Fail(breaker, 1);
        At(2.5);
        Calls.Succeed(breaker, 1);
        At(4.2);
        Calls.Fail(breaker, 1);
        At(6);

        Assert.Equal([1, 0.5, 0.6667], Rates(history, breaker));
    }

    [Fact]
    public void A_replaced_window_and_a_reset_show_at_the_next_round()
    {
        var registry = new CircuitBreakerRegistry(_time);
        CircuitBreaker breaker = registry.GetOrAdd("reconfigured", static o => o.MinimumThroughput = 100);
        using var history = new FailureRateHistory(registry);
        Calls.Fail(breaker, 1);
        Calls.Succeed(breaker, 1);
        At(2);

        // A time window instead of the count window: it starts empty.
        breaker.Reconfigure(new CircuitBreakerOptions { MinimumThroughput = 100, SamplingDuration = TimeSpan.FromSeconds(30) });
        At(4);
        Calls.Fail(breaker, 3);
        Calls.Succeed(breaker, 1);
        At(6);

        // The same options again: the window stays, and so does its rate.
        breaker.Reconfigure(new CircuitBreakerOptions { MinimumThroughput = 100, SamplingDuration = TimeSpan.FromSeconds(30) });
        At(8);
        breaker.Reset();
        At(10);

        Assert.Equal([0.5, 0, 0.75, 0.75, 0], Rates(history, breaker));
    }

    [Fact]
    public void A_reset_shows_even_when_the_newest_bucket_counts_as_many_calls_again()
    {
        // A 30 s window: buckets of 3 s. A failure in the first, a success in the second, the newest; after the reset, a
        // success in that same bucket again, which counts as many calls as before the reset.
        var registry = new CircuitBreakerRegistry(_time);
        CircuitBreaker breaker = TimeWindow(registry, seconds: 30);
        using var history = new FailureRateHistory(registry);
        At(0.5);
        Calls.Fail(breaker, 1);
        At(3.5);
        Calls.Succeed(breaker, 1);
        At(4.5);
        breaker.Reset();
        Calls.Succeed(breaker, 1);
        At(6);

        Assert.Equal([1, 0.5, 0], Rates(history, breaker));
    }

    [Fact]
    public void Breakers_and_groups_made_after_the_first_round_are_sampled_from_the_next_round()
    {
        var registry = new CircuitBreakerRegistry(_time);
        CircuitBreaker first = registry.GetOrAdd("first", static o => o.MinimumThroughput = 100);
        using var history = new FailureRateHistory(registry);
        At(2);

        CircuitBreaker later = registry.GetOrAdd("later", static o => o.MinimumThroughput = 100);
        Calls.Fail(later, 1);
        CircuitBreakerKeys<int> tenants = registry.GetOrAddGroup<int>("tenants", static o => o.MinimumThroughput = 100);
        Calls.Fail(tenants.GetBreaker(1), 1);
        Calls.Succeed(tenants.GetBreaker(2), 3);
        At(4);

        Assert.Equal([0, 0], Rates(history, first));
        Assert.Equal([1], Rates(history, later));
        Assert.Equal([0.25], Rates(history, tenants.GetBreaker(2)));
        history.Read(tenants.GetBreaker(1), out string? group);
        Assert.Equal("tenants", group);
    }

    [Fact]
    public void A_key_evicted_while_a_round_reads_its_group_leaves_the_round_whole()
    {
        var clock = new TriggeringClock(_time);
        var registry = new CircuitBreakerRegistry(clock);
        CircuitBreakerKeys<string> tenants = registry.GetOrAddGroup<string>("tenants", static o =>
        {
            o.MinimumThroughput = 100;
            o.MaxKeys = 2;
            o.KeyIdleTimeout = TimeSpan.FromMinutes(1);
        });
        Calls.Succeed(tenants.GetBreaker("a"), 1);
        Calls.Succeed(tenants.GetBreaker("b"), 1);
        using var history = new FailureRateHistory(registry);
        At(61.5);

        // "a" is used again, "b" stays idle past the timeout: the next key evicts it, during the round's first key read.
        CircuitBreaker a = tenants.GetBreaker("a");
        Calls.Fail(a, 1);
        clock.OnNextRead = () => Calls.Fail(tenants.GetBreaker("c"), 1);
        At(62);

        Assert.Null(clock.OnNextRead);
        Assert.False(tenants.TryGetBreaker("b", out _));
        Assert.True(tenants.TryGetBreaker("c", out CircuitBreaker? c));

        // The round with the eviction ended with a sample of the group (whichever of b and c it read, 1 in 2 to 2 in 3, not
        // the 0 held before); the next one reads "a" and "c": 2 failures in 3 calls.
        At(64);
        double[] rates = Rates(history, c!);
        Assert.Equal(32, rates.Length);
        Assert.All(rates[..30], static rate => Assert.Equal(0, rate));
        Assert.InRange(rates[30], 0.3333, 0.6667);
        Assert.Equal(0.6667, rates[31]);
        Assert.Equal(rates, Rates(history, a));
    }

    [Fact]
    public void A_clock_that_goes_back_or_leaps_ahead_does_not_stop_the_sampling()
    {
        var clock = new TriggeringClock(_time);
        var registry = new CircuitBreakerRegistry(clock);
        CircuitBreaker breaker = TimeWindow(registry, seconds: 10);
        using var history = new FailureRateHistory(registry);
        At(0.5);
        Calls.Fail(breaker, 1);
        Calls.Succeed(breaker, 1);
        At(2.5);

        // An hour back: calls still count (in the newest bucket), and nothing ages out until the clock is back where it was.
        clock.Shift = TimeSpan.FromHours(-1);
        Calls.Fail(breaker, 1);
        At(12.5);

        // A day ahead: everything has aged out; then a call.
        clock.Shift = TimeSpan.FromDays(1);
        At(14.5);
        Calls.Fail(breaker, 1);
        At(16.5);

        // Back by a day: the last call still counts.
        clock.Shift = TimeSpan.Zero;
        At(20);

        Assert.Equal([0.5, 0.6667, 0.6667, 0.6667, 0.6667, 0.6667, 0, 1, 1, 1], Rates(history, breaker));
    }

    /// <summary>Moves the fake clock to <paramref name="seconds"/> after the start, a second at most at a time, so that each round fires on its time.</summary>
    private void At(double seconds)
    {
        DateTimeOffset target = Start + TimeSpan.FromSeconds(seconds);
        while (_time.GetUtcNow() < target)
        {
            TimeSpan left = target - _time.GetUtcNow();
            _time.Advance(left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>A breaker with a time window of <paramref name="seconds"/> (ten buckets) that never opens in these tests.</summary>
    private static CircuitBreaker TimeWindow(CircuitBreakerRegistry registry, int seconds) =>
        registry.GetOrAdd("window", options =>
        {
            options.MinimumThroughput = 100;
            options.SamplingDuration = TimeSpan.FromSeconds(seconds);
        });

    private static double[] Rates(FailureRateHistory history, CircuitBreaker breaker) =>
        [.. history.Read(breaker, out _).Select(static sample => sample.FailureRate)];

    /// <summary>The fake clock, seen shifted by <see cref="Shift"/>, that runs <see cref="OnNextRead"/> (once) at its next timestamp read.</summary>
    private sealed class TriggeringClock(FakeTimeProvider inner) : TimeProvider
    {
        private Action? _onNextRead;

        public TimeSpan Shift { get; set; }

        public Action? OnNextRead
        {
            get => Volatile.Read(ref _onNextRead);
            set => Volatile.Write(ref _onNextRead, value);
        }

        public override long TimestampFrequency => inner.TimestampFrequency;

        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + Shift;

        public override long GetTimestamp()
        {
            if (Interlocked.Exchange(ref _onNextRead, null) is { } action)
            {
                action();
            }

            return inner.GetTimestamp() + (Shift.Ticks * inner.TimestampFrequency / TimeSpan.TicksPerSecond);
        }

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            inner.CreateTimer(callback, state, dueTime, period);
    }
}
