namespace Breaker.Windows;

/// <summary>
/// What a sliding window shows of its recent records, read in a field or two: two stamps that are equal mean the counts
/// are the same but for the calls aged out since (<see cref="SlidingWindow.Stamp"/>).
/// </summary>
/// <param name="Epoch">The time window's newest bucket (0 for a count window).</param>
/// <param name="Recorded">What the newest bucket counted, calls plus failures (a count window: its packed totals).</param>
internal readonly record struct WindowStamp(long Epoch, long Recorded);
