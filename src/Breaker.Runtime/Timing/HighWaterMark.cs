using System.Threading;

namespace Breaker.Timing;

/// <summary>A value that only rises, raised lock-free by threads that each bring a candidate.</summary>
internal static class HighWaterMark
{
    /// <summary>Raises <paramref name="mark"/> to <paramref name="value"/> when that is higher; returns the mark after (never below either).</summary>
    public static long Raise(ref long mark, long value)
    {
        long seen = Volatile.Read(ref mark);
        while (value > seen)
        {
            long raced = Interlocked.CompareExchange(ref mark, value, seen);
            if (raced == seen)
            {
                return value;
            }

            seen = raced;
        }

        return seen;
    }
}
