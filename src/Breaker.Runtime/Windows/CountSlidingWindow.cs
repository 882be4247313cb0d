using System;
using System.Threading;

namespace Breaker.Windows;

/// <summary>The last N outcomes, in a ring of slots, with running totals packed into one 64-bit word.</summary>
/// <remarks>
/// Each slot holds a small code (call, failure and slow bits, and the call's duration bin above them). Recording claims
/// the next slot with one increment, swaps the new code in, and adds the difference between the two outcomes to the
/// packed totals. The totals therefore always converge to the exact sum of the slots, and the common case (a success
/// replacing a success, whatever their durations) touches the totals not at all. Three signed 21-bit fields (calls,
/// failures, slow calls) share the word, so a transiently negative field during a race decodes correctly instead of
/// corrupting its neighbour. The durations cost nothing more per call: they ride in the slot, and a snapshot reads them.
/// </remarks>
internal sealed class CountSlidingWindow : SlidingWindow
{
    private const int FieldBits = 21;
    private const long FieldMask = (1L << FieldBits) - 1;
    private const int CallBit = 1;
    private const int FailureBit = 2;
    private const int SlowBit = 4;
    private const int OutcomeMask = CallBit | FailureBit | SlowBit;
    private const int BinShift = 3;

    /// <summary>The most slots a snapshot reads for durations: a larger window is sampled evenly.</summary>
    private const int MaxDurationSamples = 1024;

    private readonly int[] _slots;
    private readonly ulong _fastModMultiplier;
    private long _cursor = -1;
    private long _totals;

    public CountSlidingWindow(int size)
    {
        _slots = new int[size];
        _fastModMultiplier = (ulong.MaxValue / (uint)size) + 1;
    }

    public override long Recorded
    {
        get
        {
            // The cursor is -1 before the first record, far below that once sealed.
            long cursor = Volatile.Read(ref _cursor);
            return cursor >= -1 ? cursor + 1 : SealedRecorded();
        }
    }

    public override RecordResult Record(bool failure, bool slow, int durationBin, long timestamp)
    {
        int outcome = CallBit | (failure ? FailureBit : 0) | (slow ? SlowBit : 0);
        long index = Interlocked.Increment(ref _cursor);
        int evicted = Interlocked.Exchange(ref _slots[FastMod((uint)index)], outcome | (durationBin << BinShift));

        // Same outcome in, same outcome out: the totals are unchanged, so skip the second interlocked write.
        if ((evicted & OutcomeMask) != outcome)
        {
            Interlocked.Add(ref _totals, Pack(outcome) - Pack(evicted));
        }

        // The increment above is this call's one point of order against Seal's exchange: a negative index came after it.
        return index < 0 ? RecordResult.Sealed : outcome != CallBit ? RecordResult.MayTrip : RecordResult.Counted;
    }

    public override long Seal()
    {
        // One atomic add: every increment of the cursor happened before it (counted in what it returns) or after it (and
        // returns a negative index, so its caller counts the call). Its low 32 bits stay as they were, so the calls that
        // come late still take the next slots of the ring, and the counts a racing reader evaluates stay the last N calls.
        return FinishSeal(Interlocked.Add(ref _cursor, SealOffset) - SealOffset + 1);
    }

    // The totals are the counts: equal totals, equal counts, whatever was recorded in between.
    public override WindowStamp Stamp => new(0, Volatile.Read(ref _totals));

    public override WindowCounts GetCounts(long timestamp) => Decode(Volatile.Read(ref _totals));

    public override WindowCounts GetCounts(long timestamp, out long agesAt)
    {
        // Only a call pushes a call out of a count window.
        agesAt = long.MaxValue;
        return GetCounts(timestamp);
    }

    public override long CountDurations(Span<int> bins, long timestamp)
    {
        // Every slot of a window up to MaxDurationSamples; past that, MaxDurationSamples slots spread evenly over the ring,
        // so a snapshot of a million-call window reads 4 KB and still describes the whole window.
        int samples = Math.Min(_slots.Length, MaxDurationSamples);
        long counted = 0;
        for (int i = 0; i < samples; i++)
        {
            int code = Volatile.Read(ref _slots[(int)((long)i * _slots.Length / samples)]);
            if (code != 0)
            {
                bins[code >> BinShift]++;
                counted++;
            }
        }

        return counted;
    }

    public override void Clear()
    {
        // Swapping each slot to empty and subtracting what it held keeps the totals equal to the sum of the slots,
        // whatever a concurrent Record does to the same slot. The cursor, which counts every record, goes on.
        for (int i = 0; i < _slots.Length; i++)
        {
            int old = Interlocked.Exchange(ref _slots[i], 0);
            if (old != 0)
            {
                Interlocked.Add(ref _totals, -Pack(old));
            }
        }
    }

    /// <summary>
    /// <c>value % size</c> by multiplication (Lemire's fastmod), a few cycles instead of a division. The cursor is folded
    /// to 32 bits first; when it wraps, once every four billion calls, the ring skips ahead once, which loses nothing.
    /// </summary>
    private int FastMod(uint value) =>
        (int)(((((_fastModMultiplier * value) >> 32) + 1) * (uint)_slots.Length) >> 32);

    private static long Pack(int code) =>
        (long)(code & CallBit) + ((long)((code & FailureBit) >> 1) << FieldBits) + ((long)((code & SlowBit) >> 2) << (2 * FieldBits));

    /// <summary>The three counts of a packed totals word; a field a race left below zero reads as zero.</summary>
    internal static WindowCounts Decode(long packed)
    {
        long calls = SignExtend(packed & FieldMask);
        packed = (packed - calls) >> FieldBits;
        long failures = SignExtend(packed & FieldMask);
        packed = (packed - failures) >> FieldBits;
        long slow = SignExtend(packed & FieldMask);
        return new WindowCounts(Math.Max(0, calls), Math.Max(0, failures), Math.Max(0, slow));
    }

    private static long SignExtend(long field) => (field << (64 - FieldBits)) >> (64 - FieldBits);
}
