using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Breaker.Runtime.Tests;

/// <summary>
/// Counts the meter reads stay exact and never go backwards while many threads call, a collector reads all the time,
/// listeners come and go (the per-call histogram's too) and the window is replaced under the calls. Bounded in calls and time.
/// </summary>
[Collection(ProcessWideCollection.Name)]
public sealed class TelemetryStressTests
{
    private const int Threads = 4;
    private const int CallsPerThread = 20_000;
    private static readonly TimeSpan Ceiling = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Counts_stay_exact_and_monotonic_under_threads_collections_listener_churn_and_window_swaps()
    {
        string name = TestBreakers.UniqueName("stress-meter");

        // Never opens: no window reaches its minimum throughput in this run.
        var breaker = new CircuitBreaker(name, Options(timeBased: false));
        long[] expected = new long[8]; // success, 5 failure kinds, rejected, ignored
        using var stop = new CancellationTokenSource(Ceiling);
        int running = Threads;
        var problems = new List<string>();

        Task[] callers = Enumerable.Range(0, Threads).Select(t => Task.Factory.StartNew(() =>
        {
            long[] mine = new long[8];
            for (int i = 0; i < CallsPerThread && !stop.IsCancellationRequested; i++)
            {
                CircuitPermit permit = breaker.TryAcquire();
                int pick = (i * 7 + t) % 10;
                if (pick < 6)
                {
                    permit.RecordSuccess();
                    mine[0]++;
                }
                else if (pick < 9)
                {
                    var kind = (FailureKind)(i % 5);
                    permit.RecordFailure(null, kind);
                    mine[1 + (int)kind]++;
                }
                else
                {
                    permit.RecordIgnored();
                    mine[7]++;
                }
            }

            lock (expected)
            {
                for (int k = 0; k < mine.Length; k++)
                {
                    expected[k] += mine[k];
                }
            }

            Interlocked.Decrement(ref running);
        }, TaskCreationOptions.LongRunning)).ToArray();

        // Reconfigures between a count-based and a time-based window: each swap replaces the window under the calls.
        var swapper = Task.Run(() =>
        {
            for (int swap = 0; Volatile.Read(ref running) > 0 && !stop.IsCancellationRequested; swap++)
            {
                breaker.Reconfigure(Options(timeBased: swap % 2 == 0));
                Thread.Yield();
            }
        });

        // Collects over and over, with listeners (the per-call histogram's among them) attached and detached meanwhile.
        var collector = Task.Run(() =>
        {
            var last = new Dictionary<string, long>();
            for (int round = 0; Volatile.Read(ref running) > 0 && !stop.IsCancellationRequested; round++)
            {
                using var calls = new MetricCollector<long>(null, CircuitBreakerTelemetry.MeterName, "breaker.calls");
                using MeterListener? histogram = round % 2 == 0 ? null : ListenToHistogram();
                foreach (CollectedMeasurement<long> m in TelemetryTests.Collect(calls, name))
                {
                    string series = TelemetryTests.Describe(m).Split('=')[0];
                    if (last.TryGetValue(series, out long previous) && m.Value < previous)
                    {
                        lock (problems)
                        {
                            problems.Add($"{series} went from {previous} to {m.Value}");
                        }
                    }

                    last[series] = m.Value;
                }
            }
        });

        await Task.WhenAll([.. callers, swapper, collector]).WaitAsync(Ceiling + TimeSpan.FromSeconds(10));
        Assert.False(stop.IsCancellationRequested, "the run hit its ceiling");
        Assert.Empty(problems);

        breaker.Isolate();
        Parallel.For(0, 1000, i => Assert.False(breaker.TryAcquire(rejectionUsesFallback: i % 2 == 0).IsGranted));
        expected[6] += 1000;

        using var final = new MetricCollector<long>(null, CircuitBreakerTelemetry.MeterName, "breaker.calls");
        long[] read = TelemetryTests.Collect(final, name).Select(static m => m.Value).ToArray();
        Assert.Equal(expected, read);
        Assert.Equal(Threads * CallsPerThread, expected.Sum() - 1000);
        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        Assert.Equal((expected[0], expected[1..6].Sum(), expected[7]), (metrics.SuccessfulCalls, metrics.FailedCalls, metrics.IgnoredCalls));
    }

    private static CircuitBreakerOptions Options(bool timeBased) => new()
    {
        SlidingWindowSize = 100_000,
        MinimumThroughput = 100_000,
        SamplingDuration = timeBased ? TimeSpan.FromSeconds(30) : TimeSpan.Zero,
        FailureRatio = 1.0,
        SlowCallRatio = 1.0,
    };

    private static MeterListener ListenToHistogram()
    {
        var listener = new MeterListener
        {
            InstrumentPublished = static (instrument, l) =>
            {
                if (instrument.Meter.Name == CircuitBreakerTelemetry.HistogramMeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>(static (_, value, _, _) => Debug.Assert(value >= 0));
        listener.Start();
        return listener;
    }
}
