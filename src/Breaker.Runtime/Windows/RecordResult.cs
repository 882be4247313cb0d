namespace Breaker.Windows;

/// <summary>What <see cref="SlidingWindow.Record"/> did with an outcome.</summary>
internal enum RecordResult
{
    /// <summary>Counted; the counts cannot have crossed a threshold (a plain success), so the caller need not look at them.</summary>
    Counted,

    /// <summary>Counted; the counts may now cross a threshold (a failure, a slow call, or older outcomes aged out).</summary>
    MayTrip,

    /// <summary>
    /// Not counted in <see cref="SlidingWindow.Recorded"/>: the window was sealed before this outcome reached it (the caller read
    /// the window, then the window was replaced twice), so the caller counts the outcome elsewhere.
    /// </summary>
    Sealed,
}
