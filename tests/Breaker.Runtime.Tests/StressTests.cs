using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Runtime.Tests;

/// <summary>
/// Bounded concurrency stress: threads on every core hammer one breaker while one of them moves the fake clock. The
/// run stops after half a second or a fixed number of iterations, whichever comes first, and checks invariants only.
/// Half a second is enough on an idle machine; on a busy one the clock-moving thread may barely run in it, so the run
/// goes on until some thread has probed (it asserts that it did), up to a ceiling that only bounds a hang.
/// </summary>
public sealed class StressTests
{
    private const int MaxIterationsPerThread = 2_000_000;
    private static readonly TimeSpan Budget = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Ceiling = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void No_count_is_lost_and_half_open_never_admits_more_than_SuccessThreshold_probes(bool timeBased)
    {
        var time = new FakeTimeProvider();
        var options = new CircuitBreakerOptions
        {
            FailureRatio = 0.3,
            MinimumThroughput = 20,
            SlidingWindowSize = 50,
            SamplingDuration = timeBased ? TimeSpan.FromSeconds(2) : TimeSpan.Zero,
            ConsecutiveFailureThreshold = 8,
            BreakDuration = TimeSpan.FromMilliseconds(50),
            BreakDurationMultiplier = 2,
            MaxBreakDuration = TimeSpan.FromMilliseconds(400),
            SuccessThreshold = 3,
            SlowCallDuration = TimeSpan.FromMilliseconds(200),
            SlowCallRatio = 0.8,
        };
        var breaker = new CircuitBreaker("stress", options, time);
        var probesInFlight = new ConcurrentDictionary<int, StrongBox>();
        int threadCount = Math.Max(2, Environment.ProcessorCount);
        var tallies = new Tally[threadCount];
        var violations = new ConcurrentQueue<string>();
        using var start = new Barrier(threadCount);
        var clock = Stopwatch.StartNew();
        int probed = 0;

        var threads = new Thread[threadCount];
        for (int t = 0; t < threadCount; t++)
        {
            int index = t;
            threads[t] = new Thread(() =>
            {
                var random = new Random(index);
                var held = new List<CircuitPermit>();
                var tally = new Tally();
                start.SignalAndWait();
                for (int i = 0; i < MaxIterationsPerThread; i++)
                {
                    if ((i & 1023) == 0 && clock.Elapsed >= Budget && (Volatile.Read(ref probed) != 0 || clock.Elapsed >= Ceiling))
                    {
                        break;
                    }

                    if (index == 0 && (i & 63) == 0)
                    {
                        time.Advance(TimeSpan.FromMilliseconds(random.Next(0, 30)));
                    }

                    if (held.Count < 3 && random.Next(2) == 0)
                    {
                        CircuitPermit permit = breaker.TryAcquire();
                        if (!permit.IsGranted)
                        {
                            tally.Rejected++;
                            continue;
                        }

                        if (permit.Kind == PermitKind.Probe)
                        {
                            tally.Probes++;
                            Volatile.Write(ref probed, 1);
                            int inFlight = Interlocked.Increment(ref probesInFlight.GetOrAdd(permit.StateWord, static _ => new StrongBox()).Value);
                            if (inFlight > options.SuccessThreshold)
                            {
                                violations.Enqueue($"{inFlight} probes in flight in period {permit.StateWord >> 3}");
                            }
                        }

                        held.Add(permit);
                    }
                    else if (held.Count > 0)
                    {
                        int pick = random.Next(held.Count);
                        CircuitPermit permit = held[pick];
                        held.RemoveAt(pick);
                        Complete(permit, random.Next(10), ref tally, probesInFlight);
                    }
                }

                foreach (CircuitPermit permit in held)
                {
                    Complete(permit, 9, ref tally, probesInFlight);
                }

                tallies[index] = tally;
            });
            threads[t].Start();
        }

        foreach (Thread thread in threads)
        {
            thread.Join();
        }

        Assert.Empty(violations);
        var total = new Tally();
        foreach (Tally tally in tallies)
        {
            total.Add(tally);
        }

        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        Assert.Equal(total.Succeeded, metrics.SuccessfulCalls);
        Assert.Equal(total.Failed, metrics.FailedCalls);
        Assert.Equal(total.Ignored, metrics.IgnoredCalls);
        Assert.Equal(total.Rejected, metrics.RejectedCalls);
        Assert.Equal(total.Probes, metrics.HalfOpenAttempts);
        Assert.True(metrics.CircuitOpens > 0, "the run never opened the circuit, so it tested little");
        Assert.True(metrics.HalfOpenAttempts > 0, "the run never probed, so it tested little");
        Assert.InRange(metrics.WindowCalls, 0, timeBased ? long.MaxValue : options.SlidingWindowSize);
        Assert.InRange(metrics.FailureRate, 0.0, 1.0);

        // Nothing is in flight now, so the half-open state must not be stuck: after the longest break a probe gets in.
        time.Advance(options.MaxBreakDuration);
        CircuitPermit next = breaker.TryAcquire();
        Assert.True(next.IsGranted, $"stuck in {breaker.State}");
        next.RecordSuccess();
    }

    private static void Complete(CircuitPermit permit, int dice, ref Tally tally, ConcurrentDictionary<int, StrongBox> probesInFlight)
    {
        if (permit.Kind == PermitKind.Probe)
        {
            // Leave the count before reporting: once reported, the slot may be handed to another thread at once.
            Interlocked.Decrement(ref probesInFlight[permit.StateWord].Value);
        }

        if (dice < 6)
        {
            permit.RecordSuccess();
            tally.Succeeded++;
        }
        else if (dice < 9)
        {
            permit.RecordFailure(null);
            tally.Failed++;
        }
        else
        {
            permit.RecordIgnored();
            tally.Ignored++;
        }
    }

    private sealed class StrongBox
    {
        public int Value;
    }

    private struct Tally
    {
        public long Succeeded;
        public long Failed;
        public long Ignored;
        public long Rejected;
        public long Probes;

        public void Add(Tally other)
        {
            Succeeded += other.Succeeded;
            Failed += other.Failed;
            Ignored += other.Ignored;
            Rejected += other.Rejected;
            Probes += other.Probes;
        }
    }
}
