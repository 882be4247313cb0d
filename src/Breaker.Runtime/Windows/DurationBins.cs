using System;
using System.Numerics;

namespace Breaker.Windows;

/// <summary>
/// The log-linear scale the windows sort call durations into: each doubling of the duration is split into four bins, so a
/// bin is at most a quarter of its lower bound wide and its midpoint is within 12.5% of any duration in it.
/// </summary>
/// <remarks>
/// Durations are counted in units of about a microsecond (a power-of-two number of timestamp ticks, so a shift converts
/// them); bins 0 to 3 hold 0 to 3 units exactly, and the last bin everything from 1.75 × 2^32 units up: about 64 minutes
/// at Linux's 1 GHz timestamp (units of 512 ns), about 100 minutes at 10 MHz (Windows, FakeTimeProvider). 128 bins fit in
/// seven bits, so a count-based window keeps a call's bin in the slot that records it.
/// </remarks>
internal static class DurationBins
{
    /// <summary>How many bins there are.</summary>
    public const int Count = 1 << 7;

    private const int SubBits = 2;
    private const int PerDoubling = 1 << SubBits;

    /// <summary>How far to shift a timestamp difference right to count it in units of at most a microsecond.</summary>
    public static int UnitShift(long timestampFrequency) =>
        timestampFrequency < 2_000_000 ? 0 : BitOperations.Log2((ulong)(timestampFrequency / 1_000_000));

    /// <summary>The bin of a duration of <paramref name="elapsed"/> timestamp ticks (negative counts as zero).</summary>
    public static int Of(long elapsed, int unitShift)
    {
        ulong units = (ulong)Math.Max(elapsed, 0) >> unitShift;
        if (units < PerDoubling)
        {
            return (int)units;
        }

        int exponent = BitOperations.Log2(units);
        int bin = ((exponent - SubBits + 1) << SubBits) | (int)((units >> (exponent - SubBits)) & (PerDoubling - 1));
        return Math.Min(bin, Count - 1);
    }

    /// <summary>The duration, in timestamp ticks, that stands for a bin: its midpoint (the last bin, which is open-ended: its lower bound).</summary>
    public static double Midpoint(int bin, int unitShift)
    {
        double lower, width;
        if (bin < PerDoubling)
        {
            lower = bin;
            width = 1;
        }
        else
        {
            int exponent = (bin >> SubBits) + SubBits - 1;
            width = Math.Pow(2, exponent - SubBits);
            lower = (PerDoubling + (bin & (PerDoubling - 1))) * width;
        }

        double units = bin == Count - 1 ? lower : lower + (width / 2);
        return units * (1L << unitShift);
    }

    /// <summary>
    /// The duration (timestamp ticks) at percentile <paramref name="percent"/> of a histogram: the midpoint of the bin that
    /// holds the call ranked <c>ceil(total × percent / 100)</c>, or null when the histogram is empty.
    /// </summary>
    public static double? Percentile(ReadOnlySpan<int> bins, long total, int percent, int unitShift)
    {
        if (total <= 0)
        {
            return null;
        }

        long rank = Math.Max(1, ((total * percent) + 99) / 100);
        long seen = 0;
        for (int bin = 0; bin < bins.Length; bin++)
        {
            seen += bins[bin];
            if (seen >= rank)
            {
                return Midpoint(bin, unitShift);
            }
        }

        return Midpoint(bins.Length - 1, unitShift);
    }
}
