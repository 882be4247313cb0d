using System;
using System.Threading;

namespace Breaker.Windows;

/// <summary>
/// How many calls of one time-window bucket had a duration bin other than 0, and an even random sample of up to
/// <see cref="Size"/> of their bins: 16 bytes where a full histogram would take 512.
/// </summary>
/// <remarks>
/// Reservoir sampling: the first <see cref="Size"/> timed calls fill the slots; the n-th call after that replaces a slot
/// with probability <see cref="Size"/>/n, so every call of the bucket is equally likely to be in the sample. The draw is a
/// hash of n (no random generator, no lock); two calls racing for one slot leave one of them, which is still a sample. A
/// slot is never written with bin 0, so an empty slot reads as 0 and is skipped.
/// </remarks>
internal partial struct DurationSamples
{
    /// <summary>How many bins a bucket keeps.</summary>
    public const int Size = 8;

    private long _timed;
    private Bins _bins;

    /// <summary>Counts a timed call and samples its bin (1 to <see cref="DurationBins.Count"/> - 1).</summary>
    public void Add(int bin)
    {
        long rank = Interlocked.Increment(ref _timed);
        ulong slot = rank <= Size ? (ulong)(rank - 1) : Math.BigMul((ulong)rank * 0x9E3779B97F4A7C15UL, (ulong)rank, out _);
        if (slot < Size)
        {
            _bins[(int)slot] = (byte)bin;
        }
    }

    /// <summary>Forgets the bucket's calls (its epoch aged out).</summary>
    public void Clear()
    {
        Volatile.Write(ref _timed, 0);
        _bins = default;
    }

    /// <summary>
    /// Adds the bucket's timed calls to <paramref name="bins"/>, spread evenly over its samples, and returns how many it added:
    /// the bucket's timed calls, or 0 when no sample is written yet.
    /// </summary>
    public long AddTo(Span<int> bins)
    {
        long timed = Volatile.Read(ref _timed);
        Bins samples = _bins;
        int written = 0;
        for (int i = 0; i < Size; i++)
        {
            written += samples[i] == 0 ? 0 : 1;
        }

        if (timed <= 0 || written == 0)
        {
            return 0;
        }

        // Each sample stands for timed / written calls; the remainder goes to the first ones, so the weights add up exactly.
        long each = timed / written, remainder = timed % written;
        for (int i = 0; i < Size; i++)
        {
            if (samples[i] != 0)
            {
                long weight = each + (remainder-- > 0 ? 1 : 0);
                bins[samples[i]] = (int)Math.Min((long)bins[samples[i]] + weight, int.MaxValue);
            }
        }

        return timed;
    }

#if NET8_0_OR_GREATER
    [System.Runtime.CompilerServices.InlineArray(Size)]
    private struct Bins
    {
        private byte _bin;
    }
#endif
}
