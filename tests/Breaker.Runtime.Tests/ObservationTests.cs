using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Runtime.Tests;

/// <summary>
/// The cheap reads a monitor watching thousands of breakers uses (<see cref="CircuitBreaker.GetStatus"/>,
/// <see cref="CircuitBreaker.Changes"/>, <see cref="CircuitBreaker.CountRecentEvents"/>): they agree with the full reads,
/// tell every change that matters, and allocate nothing.
/// </summary>
public sealed class ObservationTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public void The_status_is_what_the_metrics_say_of_the_state_and_the_window()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, static o => o.SlowCallRatio = 0.5);
        breaker.Succeed(2);
        breaker.Fail(1);

        CircuitBreakerStatus status = breaker.GetStatus();
        CircuitBreakerMetrics metrics = breaker.GetMetrics();

        Assert.Equal((metrics.State, metrics.WindowCalls, metrics.WindowFailures, metrics.WindowSlowCalls), (status.State, status.WindowCalls, status.WindowFailures, status.WindowSlowCalls));
        Assert.Equal(metrics.FailureRate, status.FailureRate);
        Assert.Equal(metrics.SlowCallRate, status.SlowCallRate);

        // A third of the calls failed, against a threshold of a half.
        Assert.Equal(2.0 / 3, status.Pressure, 10);
        breaker.Fail(1);
        Assert.Equal(CircuitState.Open, breaker.GetStatus().State);
    }

    [Fact]
    public void Changes_grow_with_each_outcome_reset_isolation_and_new_window_and_with_nothing_else()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);
        long start = breaker.Changes;
        _time.Advance(TimeSpan.FromMinutes(5));
        _ = breaker.GetMetrics();
        _ = breaker.GetRecentEvents();
        Assert.Equal(start, breaker.Changes);

        long last = start;
        foreach (Action change in new Action[]
        {
            () => breaker.Succeed(),
            () => breaker.Fail(),
            () => breaker.Reset(), // closed to closed: the window is emptied
            () => breaker.Isolate(),
            () => breaker.Reset(),
            () => breaker.Reconfigure(new CircuitBreakerOptions { MinimumThroughput = 4, SlidingWindowSize = 20 }),
        })
        {
            change();
            Assert.True(breaker.Changes > last, "A change the failure rate may show moves the count.");
            last = breaker.Changes;
        }
    }

    [Fact]
    public void The_events_counted_are_those_read_with_the_latest_time_even_after_the_clock_was_set_back()
    {
        var clock = new SettableClock();
        var breaker = new CircuitBreaker("payments", new CircuitBreakerOptions { MinimumThroughput = 2, SlidingWindowSize = 4 }, clock);
        Assert.Equal(0, breaker.CountRecentEvents(out DateTimeOffset none));
        Assert.Equal(default, none);

        for (int i = 0; i < 40; i++)
        {
            // Forward, mostly; set back every seventh step; more than the 32 the ring keeps.
            clock.Now += i % 7 == 6 ? TimeSpan.FromMinutes(-3) : TimeSpan.FromSeconds(10);
            if (i % 2 == 0)
            {
                breaker.Isolate();
            }
            else
            {
                breaker.Reset();
            }

            AssertCountMatchesRead(breaker);
        }

        breaker.Isolate();
        _ = breaker.TryAcquire(); // rejected: an ongoing burst, timed now
        clock.Now += TimeSpan.FromHours(1);
        AssertCountMatchesRead(breaker);
        Assert.Contains(breaker.GetRecentEvents(), static e => e.IsOngoing);
    }

    [Fact]
    public void The_cheap_reads_allocate_nothing()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, static o => o.SamplingDuration = TimeSpan.FromSeconds(30));
        breaker.Succeed(3);
        breaker.Isolate();
        _ = breaker.TryAcquire();
        Read(breaker);

        long before = GC.GetAllocatedBytesForCurrentThread();
        Read(breaker);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        static void Read(CircuitBreaker breaker)
        {
            _ = breaker.GetStatus();
            _ = breaker.Changes;
            _ = breaker.CountRecentEvents(out _);
        }
    }

    private static void AssertCountMatchesRead(CircuitBreaker breaker)
    {
        IReadOnlyList<CircuitBreakerEvent> events = breaker.GetRecentEvents();
        int count = breaker.CountRecentEvents(out DateTimeOffset latest);
        Assert.Equal(events.Count, count);
        Assert.Equal(events.Max(static e => e.Time), latest);
    }

    /// <summary>A wall clock a test sets, backwards too (the breaker's timestamps run on).</summary>
    private sealed class SettableClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
