using System;
using System.Threading;

namespace Breaker.Windows;

/// <summary>The recent outcomes a closed circuit judges by. Implementations are lock-free and allocate nothing per call.</summary>
internal abstract class SlidingWindow
{
    /// <summary>
    /// What <see cref="Seal"/> adds to each counter a call is counted in: so far below zero that the increments of calls still
    /// arriving leave it negative, which tells each of them it came too late.
    /// </summary>
    protected const long SealOffset = long.MinValue / 2;

    // What Recorded was when the window was sealed; -1 until then.
    private long _sealedRecorded = -1;

    /// <summary>Every outcome ever recorded in this window, evicted ones included (once sealed, those recorded before the seal).</summary>
    public abstract long Recorded { get; }

    /// <summary>Whether <see cref="Seal"/> has finished: <see cref="Recorded"/> is final.</summary>
    protected bool IsSealed => Volatile.Read(ref _sealedRecorded) >= 0;

    /// <summary>
    /// Records one outcome, and the <see cref="DurationBins"/> bin of its duration. Says whether the counts may now cross a
    /// threshold (a plain success cannot raise a ratio, so the caller need not look at the counts), or that the window was
    /// sealed first and the outcome is not in <see cref="Recorded"/>.
    /// </summary>
    public abstract RecordResult Record(bool failure, bool slow, int durationBin, long timestamp);

    /// <summary>
    /// Retires the window for good (the breaker no longer reads it) and returns <see cref="Recorded"/>, final from then on.
    /// Each outcome recorded meanwhile is, atomically, either in that total or told <see cref="RecordResult.Sealed"/>: counted
    /// once, by the window or by its caller. The counts stay readable. Runs once, and never beside <see cref="Clear"/>.
    /// </summary>
    public abstract long Seal();

    /// <summary>
    /// Empties the window in place while calls may still be recording into it. What was recorded stays counted in
    /// <see cref="Recorded"/>, so lifetime totals derived from it lose nothing.
    /// </summary>
    public abstract void Clear();

    /// <summary>
    /// What the newest records left, read in a field or two for a monitor that skips windows nothing happened to: the stamp
    /// differs after any outcome recorded since it was read. Equal stamps (of the same window, with no <see cref="Clear"/>
    /// between) mean equal counts, but for the calls aged out since. Read it before the counts it stands for.
    /// </summary>
    public abstract WindowStamp Stamp { get; }

    /// <summary>The counts at <paramref name="timestamp"/>, without what has aged out by then.</summary>
    public abstract WindowCounts GetCounts(long timestamp);

    /// <summary>
    /// The counts at <paramref name="timestamp"/>, and the timestamp from which the oldest call among them has aged out
    /// (<paramref name="agesAt"/>; <see cref="long.MaxValue"/> when time alone cannot change them).
    /// </summary>
    public abstract WindowCounts GetCounts(long timestamp, out long agesAt);

    /// <summary>
    /// Adds the duration bins of the calls in the window at <paramref name="timestamp"/> to <paramref name="bins"/>
    /// (<see cref="DurationBins.Count"/> long) and returns how many calls it added: all of them, or an even sample of a large window.
    /// </summary>
    public abstract long CountDurations(Span<int> bins, long timestamp);

    /// <summary>Ends a seal: publishes the final <see cref="Recorded"/>, which <see cref="IsSealed"/> then reports.</summary>
    protected long FinishSeal(long recorded)
    {
        Volatile.Write(ref _sealedRecorded, recorded);
        return recorded;
    }

    /// <summary>
    /// The final <see cref="Recorded"/> of a window a seal is closing: waits out the moment between the seal's atomic step
    /// (which told the caller the window is sealed) and its <see cref="FinishSeal"/>.
    /// </summary>
    protected long SealedRecorded()
    {
        var spinner = default(SpinWait);
        long recorded;
        while ((recorded = Volatile.Read(ref _sealedRecorded)) < 0)
        {
            spinner.SpinOnce();
        }

        return recorded;
    }

    public static SlidingWindow Create(CircuitBreakerOptions options, long timestampFrequency) =>
        options.IsTimeBased
            ? new TimeSlidingWindow(options.SamplingDuration, timestampFrequency)
            : new CountSlidingWindow(options.SlidingWindowSize);
}
