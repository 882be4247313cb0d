using System.Diagnostics;
using System.Threading;

namespace Breaker.Timing;

/// <summary>
/// <see cref="Stopwatch.GetTimestamp"/>, refreshed about once a millisecond by a background thread while breakers are
/// being called, and read from a field.
/// </summary>
/// <remarks>
/// Reading the high-resolution clock costs about 20 ns here, twice per guarded call: more than everything else the closed
/// state does. Breakers on the system clock whose decisions are coarse (a slow call is seconds, not microseconds) read
/// this cached value instead: one memory read. The refreshing thread parks after a tenth of a second in which nobody
/// read the clock, so an idle process pays nothing; the first read after that takes the precise clock and wakes it.
/// </remarks>
internal static class CoarseClock
{
    /// <summary>How often the cached timestamp is refreshed while in use.</summary>
    public const int ResolutionMilliseconds = 1;

    private const int IdleRefreshesBeforeParking = 100;
    private const int Parked = 0;
    private const int Running = 1;

    private static readonly AutoResetEvent Wake = new(initialState: false);
    private static long s_timestamp;
    private static int s_state;
    private static int s_read;

    static CoarseClock()
    {
        var thread = new Thread(Refresh) { IsBackground = true, Name = "Breaker coarse clock" };
        thread.Start();
    }

    /// <summary>A timestamp in <see cref="Stopwatch.Frequency"/> units, at most a few milliseconds old.</summary>
    public static long Timestamp
    {
        get
        {
            if (Volatile.Read(ref s_state) == Running)
            {
                // Tell the refresher it is still needed; read first so that the line is written once per refresh, not per call.
                if (Volatile.Read(ref s_read) == 0)
                {
                    Volatile.Write(ref s_read, 1);
                }

                return Volatile.Read(ref s_timestamp);
            }

            return WakeRefresher();
        }
    }

    private static long WakeRefresher()
    {
        long now = Stopwatch.GetTimestamp();
        Volatile.Write(ref s_timestamp, now);
        if (Interlocked.CompareExchange(ref s_state, Running, Parked) == Parked)
        {
            Wake.Set();
        }

        return now;
    }

    private static void Refresh()
    {
        while (true)
        {
            Wake.WaitOne();
            int idle = 0;
            while (idle < IdleRefreshesBeforeParking)
            {
                Thread.Sleep(ResolutionMilliseconds);
                Volatile.Write(ref s_timestamp, Stopwatch.GetTimestamp());
                idle = Interlocked.Exchange(ref s_read, 0) == 0 ? idle + 1 : 0;
            }

            // A reader that saw Running just before this still gets a timestamp refreshed a moment ago.
            Volatile.Write(ref s_state, Parked);
        }
    }
}
