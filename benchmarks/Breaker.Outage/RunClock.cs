using System;
using System.Diagnostics;
using System.Threading;

namespace Breaker.Outage;

/// <summary>Seconds since the start of one arm's run, and per-second counters indexed by it.</summary>
public sealed class RunClock
{
    private long _start = Stopwatch.GetTimestamp();

    public double Seconds => Stopwatch.GetElapsedTime(Volatile.Read(ref _start)).TotalSeconds;

    /// <summary>Starts counting again from zero (after the warm-up).</summary>
    public void Restart() => Volatile.Write(ref _start, Stopwatch.GetTimestamp());
}

/// <summary>A count per second of a run, written from any thread.</summary>
public sealed class PerSecond
{
    private readonly RunClock _clock;
    private readonly int[] _counts;

    public PerSecond(RunClock clock, double seconds)
    {
        _clock = clock;
        _counts = new int[(int)seconds + 60];
    }

    public int Length => _counts.Length;

    public void Add()
    {
        int second = (int)_clock.Seconds;
        if ((uint)second < (uint)_counts.Length)
        {
            Interlocked.Increment(ref _counts[second]);
        }
    }

    public void Clear() => System.Array.Clear(_counts);

    public int this[int second] => Volatile.Read(ref _counts[second]);

    /// <summary>The counts of the seconds in [from, to), each edge rounded to a whole second (counts are kept per second).</summary>
    public long Sum(double from, double to)
    {
        long sum = 0;
        for (int s = (int)Math.Round(from); s < (int)Math.Round(to) && s < _counts.Length; s++)
        {
            sum += this[s];
        }

        return sum;
    }
}
