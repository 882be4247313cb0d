using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Runtime.Tests;

/// <summary>
/// The cheap reads a monitor watching thousands of breakers uses (<see cref="CircuitBreaker.GetStatus"/>,
/// <see cref="CircuitBreaker.Changes"/>, <see cref="CircuitBreaker.TryReadWindow"/>,
/// <see cref="CircuitBreaker.CountRecentEvents"/>): they agree with the full reads, tell every change that matters, and
/// allocate nothing.
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
            CircuitBreakerWindowMark mark = default;
            _ = breaker.GetStatus();
            _ = breaker.Changes;
            _ = breaker.TryReadWindow(ref mark, out _, out _);
            _ = breaker.TryReadWindow(ref mark, out _, out _);
            _ = breaker.CountRecentEvents(out _);
        }
    }

    [Fact]
    public void A_window_read_is_skipped_only_when_its_counts_are_what_the_last_read_gave()
    {
        var random = new Random(25);
        foreach (TimeSpan sampling in new[] { TimeSpan.FromSeconds(10), TimeSpan.Zero })
        {
            var clock = new TimestampClock();
            var options = new CircuitBreakerOptions { MinimumThroughput = 20, SlidingWindowSize = 20, FailureRatio = 1, SamplingDuration = sampling };
            var breaker = new CircuitBreaker("watched", options, clock);
            CircuitBreakerWindowMark mark = default;
            (long Calls, long Failures) lastRead = (-1, -1);
            int skipped = 0, read = 0;
            for (int step = 0; step < 3000; step++)
            {
                // Calls, time passing (backwards too), a reset, a window replaced (or kept), or nothing since the last read.
                int action = random.Next(12);
                if (action < 4)
                {
                    breaker.Succeed(random.Next(1, 3));
                }
                else if (action < 6)
                {
                    breaker.Fail();
                }
                else if (action < 9)
                {
                    clock.Pass(TimeSpan.FromMilliseconds(random.Next(0, 3000)));
                }
                else if (action == 9)
                {
                    clock.Pass(TimeSpan.FromSeconds(random.Next(-20, 0)));
                }
                else if (action == 10 && random.Next(10) == 0)
                {
                    breaker.Reset();
                }
                else if (action == 10)
                {
                    var window = TimeSpan.FromSeconds(random.Next(2) * 10);
                    breaker.Reconfigure(new CircuitBreakerOptions { MinimumThroughput = 20, SlidingWindowSize = 20, FailureRatio = 1, SamplingDuration = window });
                }

                CircuitBreakerStatus status = breaker.GetStatus();
                if (breaker.TryReadWindow(ref mark, out long calls, out long failures))
                {
                    lastRead = (calls, failures);
                    read++;
                }
                else
                {
                    skipped++;
                }

                // Skipped or read, what the history draws is the window now.
                Assert.Equal((status.WindowCalls, status.WindowFailures), lastRead);
            }

            Assert.True(skipped > 300 && read > 300, $"{skipped} skipped, {read} read: both paths taken.");
        }
    }

    private static void AssertCountMatchesRead(CircuitBreaker breaker)
    {
        IReadOnlyList<CircuitBreakerEvent> events = breaker.GetRecentEvents();
        int count = breaker.CountRecentEvents(out DateTimeOffset latest);
        Assert.Equal(events.Count, count);
        Assert.Equal(events.Max(static e => e.Time), latest);
    }

    /// <summary>A clock whose timestamps a test moves, backwards too.</summary>
    private sealed class TimestampClock : TimeProvider
    {
        private long _timestamp = 1_000_000 * TimeSpan.TicksPerSecond;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _timestamp;

        public void Pass(TimeSpan span) => _timestamp += span.Ticks;
    }

    /// <summary>A wall clock a test sets, backwards too (the breaker's timestamps run on).</summary>
    private sealed class SettableClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
