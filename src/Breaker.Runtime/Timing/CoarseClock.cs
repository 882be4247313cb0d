using System.Diagnostics;
using System.Threading;

namespace Breaker.Timing;

/// <summary>
/// <see cref="Stopwatch.GetTimestamp"/>, read once a millisecond by a background thread and cached.
/// </summary>
/// <remarks>
/// Reading the high-resolution clock costs about 20 ns here, twice per guarded call: more than everything else the closed
/// state does. Breakers on the system clock whose decisions are coarse (a slow call is seconds, not microseconds) read
/// this cached value instead: one memory read. The thread is started by the first breaker that needs it and sleeps
/// between updates; Kestrel keeps its date header fresh the same way.
/// </remarks>
internal static class CoarseClock
{
    /// <summary>How often the cached timestamp is refreshed.</summary>
    public const int ResolutionMilliseconds = 1;

    private static long s_timestamp = Stopwatch.GetTimestamp();

    static CoarseClock()
    {
        var thread = new Thread(Refresh) { IsBackground = true, Name = "Breaker coarse clock" };
        thread.Start();
    }

    /// <summary>A timestamp in <see cref="Stopwatch.Frequency"/> units, at most a few milliseconds old.</summary>
    public static long Timestamp => Volatile.Read(ref s_timestamp);

    private static void Refresh()
    {
        while (true)
        {
            Thread.Sleep(ResolutionMilliseconds);
            Volatile.Write(ref s_timestamp, Stopwatch.GetTimestamp());
        }
    }
}
