namespace Breaker.Windows;

/// <summary>The recent outcomes a closed circuit judges by. Implementations are lock-free and allocate nothing per call.</summary>
internal abstract class SlidingWindow
{
    /// <summary>Records one outcome and returns the counts right after it.</summary>
    public abstract WindowCounts Record(bool failure, bool slow, long timestamp);

    /// <summary>The counts at <paramref name="timestamp"/> (a time-based window first drops what has aged out).</summary>
    public abstract WindowCounts GetCounts(long timestamp);

    public static SlidingWindow Create(CircuitBreakerOptions options, long timestampFrequency) =>
        options.IsTimeBased
            ? new TimeSlidingWindow(options.SamplingDuration, timestampFrequency)
            : new CountSlidingWindow(options.SlidingWindowSize);
}
