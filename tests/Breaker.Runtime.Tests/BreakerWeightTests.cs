using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Runtime.Tests;

/// <summary>
/// What a breaker weighs: the bytes allocated to make one and call it 20 times (allocation counts, not timings, so they may be
/// asserted), for both window kinds and for a key of a group, and what its parts made on demand add once they are needed.
/// The heap per breaker, beside Polly and at 64 processors, is measured by <c>--weights</c> (docs/benchmarks.md). Alone in
/// the process while they run (the process-wide collection), so that the heap they measure is theirs.
/// </summary>
[Collection(ProcessWideCollection.Name)]
public sealed class BreakerWeightTests
{
    private const int Breakers = 1_000;
    private const int CallsEach = 20;
    private const long Budget = 1_024;

    private readonly FakeTimeProvider _time = new();

    [Theory]
    [InlineData(30_000)] // a 30 s time window
    [InlineData(0)] // the default count window of 100 calls
    public void A_breaker_called_twenty_times_costs_at_most_a_kibibyte(int samplingDurationMs)
    {
        var options = new CircuitBreakerOptions { SamplingDuration = TimeSpan.FromMilliseconds(samplingDurationMs) };
        string[] names = Enumerable.Range(0, Breakers).Select(static i => TestBreakers.UniqueName("weight")).ToArray();
        var breakers = new CircuitBreaker[Breakers];

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Breakers; i++)
        {
            breakers[i] = new CircuitBreaker(names[i], options, _time);
            Call(breakers[i], CallsEach);
        }

        long each = (GC.GetAllocatedBytesForCurrentThread() - before) / Breakers;
        Assert.True(each <= Budget, $"{each} B a breaker");
        Assert.All(breakers, static b => Assert.Equal(CallsEach, b.GetMetrics().SuccessfulCalls));
    }

    [Fact]
    public void A_key_of_a_group_called_twenty_times_keeps_at_most_a_kibibyte()
    {
        const int Keys = 10 * Breakers;
        CircuitBreakerKeys<int> keys = new CircuitBreakerRegistry(_time).GetOrAddGroup<int>("weights", static o =>
        {
            o.SamplingDuration = TimeSpan.FromSeconds(30);
            o.MaxKeys = Keys + 1;
        });
        keys.GetBreaker(-1); // the group's own structures, made once

        // What stays on the heap (the key's name, its registry entry and lookup entry included), not what is allocated:
        // the key's text and the dictionaries' growth are garbage once the key has its breaker.
        long before = GC.GetTotalMemory(forceFullCollection: true);
        for (int key = 0; key < Keys; key++)
        {
            for (int call = 0; call < CallsEach; call++)
            {
                keys.GetBreaker(key).TryAcquire().RecordSuccess();
            }
        }

        long each = (GC.GetTotalMemory(forceFullCollection: true) - before) / Keys;
        Assert.True(each <= Budget, $"{each} B a key");
        Assert.Equal(Keys + 1, keys.Group.Count);
    }

    [Fact]
    public void Reading_the_percentiles_and_events_of_a_quiet_breaker_allocates_only_what_is_returned()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, static o => o.SamplingDuration = TimeSpan.FromSeconds(30));
        Call(breaker, CallsEach);
        CircuitBreaker other = TestBreakers.Create(_time, static o => o.SamplingDuration = TimeSpan.FromSeconds(30));
        _ = (other.GetMetrics(), other.GetRecentEvents()); // the first reads load their types, which allocates too

        // A snapshot and a list, both the reader's: no histogram, no ring made for the breaker.
        long before = GC.GetAllocatedBytesForCurrentThread();
        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        long snapshot = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        IReadOnlyList<CircuitBreakerEvent> recent = breaker.GetRecentEvents();
        long events = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Empty(recent);
        Assert.Equal(CallsEach, metrics.WindowCalls);
        Assert.InRange(snapshot, 1, 512);
        Assert.InRange(events, 1, 128);
    }

    [Fact]
    public void The_event_history_grows_with_the_events_keeps_their_order_and_stops_at_32()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, static o => (o.SuccessThreshold, o.SlidingWindowSize) = (1, 10));
        for (int cycle = 0; cycle < 20; cycle++)
        {
            breaker.Trip(); // Closed -> Open
            _time.Advance(TimeSpan.FromSeconds(30));
            breaker.Succeed(); // Open -> HalfOpen -> Closed
        }

        IReadOnlyList<CircuitBreakerEvent> events = breaker.GetRecentEvents();
        Assert.Equal(32, events.Count);
        Assert.Equal(Enumerable.Range(60 - 31, 32).Reverse().Select(static s => (long)s), events.Select(static e => e.Sequence));
        Assert.Equal([CircuitState.Closed, CircuitState.HalfOpen, CircuitState.Open], events.Take(3).Select(static e => e.To!.Value));
    }

    [Fact]
    public void A_window_of_a_thousand_timed_calls_is_read_from_samples_of_its_buckets()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, static o => (o.SamplingDuration, o.MinimumThroughput, o.FailureRatio, o.SlowCallDuration) = (TimeSpan.FromSeconds(10), 1000, 1.0, TimeSpan.FromHours(1)));
        for (int i = 0; i < 1_000; i++)
        {
            // Nine in ten take 1 ms, one in ten 50 ms: 5.9 s of calls, spread over six of the window's ten buckets.
            CircuitPermit permit = breaker.TryAcquire();
            _time.Advance(TimeSpan.FromMilliseconds(i % 10 == 9 ? 50 : 1));
            permit.RecordSuccess();
        }

        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        Assert.Equal(1_000, metrics.WindowCalls);
        Assert.InRange(metrics.DurationP50!.Value.TotalMilliseconds, 1 / 1.125, 1 * 1.125);
        Assert.InRange(metrics.DurationP99!.Value.TotalMilliseconds, 1 / 1.125, 50 * 1.125);
    }

    [Fact]
    public void Threads_recording_at_once_into_a_time_window_lose_no_count_when_it_stripes()
    {
        // One bucket (the clock stands still), four threads: the first failed swap makes the per-processor stripes while
        // the others go on counting, in the bucket or in the stripes.
        CircuitBreaker breaker = TestBreakers.Create(_time, static o => (o.SamplingDuration, o.MinimumThroughput) = (TimeSpan.FromHours(1), 1_000));
        const int Threads = 4, CallsPerThread = 50_000;
        using var start = new System.Threading.Barrier(Threads);
        System.Threading.Thread[] threads = Enumerable.Range(0, Threads).Select(_ => new System.Threading.Thread(() =>
        {
            start.SignalAndWait();
            Call(breaker, CallsPerThread);
        })).ToArray();
        foreach (System.Threading.Thread thread in threads)
        {
            thread.Start();
        }

        foreach (System.Threading.Thread thread in threads)
        {
            thread.Join();
        }

        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        Assert.Equal(Threads * CallsPerThread, metrics.WindowCalls);
        Assert.Equal(Threads * CallsPerThread, metrics.SuccessfulCalls);
    }

    private static void Call(CircuitBreaker breaker, int times)
    {
        for (int call = 0; call < times; call++)
        {
            breaker.TryAcquire().RecordSuccess();
        }
    }
}
