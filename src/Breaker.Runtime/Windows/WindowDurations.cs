using System;

namespace Breaker.Windows;

/// <summary>The 50th, 95th and 99th percentiles of the durations of the calls in a window, in timestamp ticks (null: no call).</summary>
internal readonly record struct WindowDurations(double? P50, double? P95, double? P99)
{
    /// <summary>Reads the window's duration bins (on the stack: a snapshot allocates nothing for them) and ranks them.</summary>
    public static WindowDurations Read(SlidingWindow window, long timestamp, int unitShift)
    {
        Span<int> bins = stackalloc int[DurationBins.Count];
        long calls = window.CountDurations(bins, timestamp);
        return new WindowDurations(
            DurationBins.Percentile(bins, calls, 50, unitShift),
            DurationBins.Percentile(bins, calls, 95, unitShift),
            DurationBins.Percentile(bins, calls, 99, unitShift));
    }
}
