using System;

namespace Breaker.Windows;

/// <summary>The recent outcomes a closed circuit judges by. Implementations are lock-free and allocate nothing per call.</summary>
internal abstract class SlidingWindow
{
    /// <summary>Every outcome ever recorded in this window, evicted ones included.</summary>
    public abstract long Recorded { get; }

    /// <summary>
    /// Records one outcome, and the <see cref="DurationBins"/> bin of its duration. Returns true when the counts may now cross
    /// a threshold (a failure, a slow call, or older outcomes aged out); a plain success cannot raise a ratio, so the caller
    /// need not look at the counts.
    /// </summary>
    public abstract bool Record(bool failure, bool slow, int durationBin, long timestamp);

    /// <summary>
    /// Empties the window in place while calls may still be recording into it. What was recorded stays counted in
    /// <see cref="Recorded"/>, so lifetime totals derived from it lose nothing.
    /// </summary>
    public abstract void Clear();

    /// <summary>The counts at <paramref name="timestamp"/>, without what has aged out by then.</summary>
    public abstract WindowCounts GetCounts(long timestamp);

    /// <summary>
    /// Adds the duration bins of the calls in the window at <paramref name="timestamp"/> to <paramref name="bins"/>
    /// (<see cref="DurationBins.Count"/> long) and returns how many calls it added: all of them, or an even sample of a large window.
    /// </summary>
    public abstract long CountDurations(Span<int> bins, long timestamp);

    public static SlidingWindow Create(CircuitBreakerOptions options, long timestampFrequency) =>
        options.IsTimeBased
            ? new TimeSlidingWindow(options.SamplingDuration, timestampFrequency)
            : new CountSlidingWindow(options.SlidingWindowSize);
}
