using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Breaker.Windows;

namespace Breaker.Runtime.Tests;

/// <summary>
/// A window replaced twice is sealed (issue 26): each call that records into it is counted exactly once, in the window's
/// final count or, told the window is sealed, by the breaker. The breaker's side is in <see cref="LateCallTests"/>.
/// Bounded in calls and time.
/// </summary>
public sealed class WindowSealTests
{
    private const long Frequency = 1_000; // timestamps in milliseconds: a 10 s window has 1 s buckets
    private const int Threads = 4;
    private const int CallsPerThread = 50_000;
    private static readonly TimeSpan Ceiling = TimeSpan.FromMinutes(1);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_sealed_window_counts_nothing_more_but_keeps_its_counts(bool timeBased)
    {
        SlidingWindow window = Create(timeBased);
        Assert.Equal(RecordResult.Counted, window.Record(failure: false, slow: false, durationBin: 0, timestamp: 0));
        Assert.Equal(RecordResult.MayTrip, window.Record(failure: true, slow: false, durationBin: 0, timestamp: 0));

        Assert.Equal(2, window.Seal());

        // A success, a failure, and a call a minute later (whose advance, before the seal learnt to keep out, emptied the
        // sealed buckets and so counted the calls after it again).
        Assert.Equal(RecordResult.Sealed, window.Record(failure: false, slow: false, durationBin: 0, timestamp: 1));
        Assert.Equal(RecordResult.Sealed, window.Record(failure: true, slow: false, durationBin: 0, timestamp: 1));
        Assert.Equal(RecordResult.Sealed, window.Record(failure: false, slow: false, durationBin: 0, timestamp: 60 * Frequency));
        Assert.Equal(RecordResult.Sealed, window.Record(failure: false, slow: false, durationBin: 0, timestamp: 60 * Frequency));
        Assert.Equal(2, window.Recorded);

        // The counts a racing evaluation reads stay sane: the late calls are in them, nothing negative.
        WindowCounts counts = window.GetCounts(1);
        Assert.Equal((6L, 2L), (counts.Calls, counts.Failures));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Every_call_racing_a_seal_is_counted_once_by_the_window_or_told_it_is_sealed(bool timeBased)
    {
        SlidingWindow window = Create(timeBased);
        long told = 0;
        using var stop = new CancellationTokenSource(Ceiling);

        // Each thread moves the clock on (a bucket every 1,000 calls), so advances empty buckets while the seal runs.
        Task[] callers = Enumerable.Range(0, Threads).Select(t => Task.Factory.StartNew(() =>
        {
            long mine = 0;
            for (int i = 0; i < CallsPerThread && !stop.IsCancellationRequested; i++)
            {
                if (window.Record(failure: i % 3 == 0, slow: false, durationBin: 0, timestamp: i) == RecordResult.Sealed)
                {
                    mine++;
                }
            }

            Interlocked.Add(ref told, mine);
        }, TaskCreationOptions.LongRunning)).ToArray();

        // Seal in the middle of the calls: once a tenth of them are in.
        var spinner = default(SpinWait);
        while (window.Recorded < Threads * CallsPerThread / 10 && !stop.IsCancellationRequested)
        {
            spinner.SpinOnce();
        }

        long sealedCount = window.Seal();
        await Task.WhenAll(callers).WaitAsync(Ceiling);
        Assert.False(stop.IsCancellationRequested, "the run hit its ceiling");

        Assert.Equal(Threads * CallsPerThread, sealedCount + told);
        Assert.Equal(sealedCount, window.Recorded);
        Assert.InRange(sealedCount, Threads * CallsPerThread / 10, Threads * CallsPerThread);
    }

    private static SlidingWindow Create(bool timeBased) =>
        timeBased ? new TimeSlidingWindow(TimeSpan.FromSeconds(10), Frequency) : new CountSlidingWindow(Threads * CallsPerThread);

}
