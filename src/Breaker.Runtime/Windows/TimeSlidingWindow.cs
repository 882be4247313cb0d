using System;
using System.Threading;
using Breaker.Timing;

namespace Breaker.Windows;

/// <summary>The outcomes of the last <c>SamplingDuration</c>, kept in buckets that age out one at a time.</summary>
/// <remarks>
/// The window is split into <see cref="BucketCount"/> buckets by time, and each bucket into one stripe per processor,
/// so threads on different cores count on different cache lines: recording a success is one uncontended interlocked
/// increment. Counts are summed only when someone needs them (a failure, an eviction, a snapshot). When time enters a
/// new epoch, one thread claims the advance (a compare-and-swap on the head epoch), empties the buckets that aged out
/// and publishes the new head; other threads wait for that short step only, once per bucket width, never per call.
/// Each bucket also counts its calls' durations by <see cref="DurationBins"/> bin (one histogram per bucket, shared by the
/// stripes: 5 KB a window). A call in bin 0 (under a microsecond, or any call timed by the millisecond cached clock that
/// ended within the same tick) writes nothing more: bin 0 is what the bucket's calls leave over once the other bins are
/// counted, so the common fast call pays no extra write.
/// </remarks>
internal sealed class TimeSlidingWindow : SlidingWindow
{
    public const int BucketCount = 10;
    private const long Advancing = -1;

    private readonly Bucket[] _buckets = new Bucket[Stripes.Count * BucketCount];
    private readonly int[] _durations = new int[BucketCount * DurationBins.Count];
    private readonly long _bucketWidth;
    private long _head;
    private long _headEnds;
    private long _evicted;

    public TimeSlidingWindow(TimeSpan samplingDuration, long timestampFrequency)
    {
        // Integer arithmetic: through floating-point seconds, 1.497 s made buckets one tick too wide, so calls aged out late.
        Int128 units = (Int128)samplingDuration.Ticks * timestampFrequency;
        Int128 perBucket = (Int128)TimeSpan.TicksPerSecond * BucketCount;
        _bucketWidth = (long)Int128.Max(1, (units + perBucket - 1) / perBucket);
    }

    public override long Recorded
    {
        get
        {
            // An advance moves a bucket's calls to the evicted total: a sum that overlapped one could miss them (a count
            // published from it would go back), so it starts again. The head only grows, and reads -1 while it moves.
            var spinner = default(SpinWait);
            while (true)
            {
                long head = ReadHead();
                long recorded = Volatile.Read(ref _evicted);
                for (int i = 0; i < _buckets.Length; i++)
                {
                    recorded += Volatile.Read(ref _buckets[i].Calls);
                }

                if (Volatile.Read(ref _head) == head)
                {
                    return recorded;
                }

                spinner.SpinOnce();
            }
        }
    }

    public override bool Record(bool failure, bool slow, int durationBin, long timestamp)
    {
        bool advanced = Advance(timestamp, out long head);
        int index = (int)(head % BucketCount);
        ref Bucket bucket = ref _buckets[(Stripes.Current * BucketCount) + index];
        Interlocked.Increment(ref bucket.Calls);
        if (durationBin != 0)
        {
            Interlocked.Increment(ref _durations[(index * DurationBins.Count) + durationBin]);
        }

        if (failure)
        {
            Interlocked.Increment(ref bucket.Failures);
        }

        if (slow)
        {
            Interlocked.Increment(ref bucket.Slow);
        }

        return failure || slow || advanced;
    }

    public override WindowCounts GetCounts(long timestamp)
    {
        long head = ReadHead();
        long calls = 0, failures = 0, slow = 0;
        for (int index = 0; index < BucketCount; index++)
        {
            if (!IsLive(index, head, timestamp))
            {
                continue;
            }

            for (int stripe = index; stripe < _buckets.Length; stripe += BucketCount)
            {
                calls += Volatile.Read(ref _buckets[stripe].Calls);
                failures += Volatile.Read(ref _buckets[stripe].Failures);
                slow += Volatile.Read(ref _buckets[stripe].Slow);
            }
        }

        return new WindowCounts(calls, failures, slow);
    }

    public override long CountDurations(Span<int> bins, long timestamp)
    {
        long head = ReadHead();
        long calls = 0, timed = 0;
        for (int index = 0; index < BucketCount; index++)
        {
            if (!IsLive(index, head, timestamp))
            {
                continue;
            }

            for (int stripe = index; stripe < _buckets.Length; stripe += BucketCount)
            {
                calls += Volatile.Read(ref _buckets[stripe].Calls);
            }

            for (int bin = 1; bin < DurationBins.Count; bin++)
            {
                int count = Volatile.Read(ref _durations[(index * DurationBins.Count) + bin]);
                bins[bin] += count;
                timed += count;
            }
        }

        // Bin 0 is never written: it is the calls the other bins do not account for (never negative, even mid-race).
        long zero = Math.Max(0, calls - timed);
        bins[0] += (int)Math.Min(zero, int.MaxValue);
        return timed + zero;
    }

    public override void Clear()
    {
        for (int i = 0; i < _buckets.Length; i++)
        {
            Empty(ref _buckets[i]);
        }

        Array.Clear(_durations);
    }

    /// <summary>Whether bucket <paramref name="index"/> holds an epoch still inside the window at <paramref name="timestamp"/>.</summary>
    private bool IsLive(int index, long head, long timestamp)
    {
        // The epoch this bucket index holds: the one in (head - BucketCount, head] congruent to it.
        long epoch = head - ((((head - index) % BucketCount) + BucketCount) % BucketCount);
        return epoch >= Math.Max(head, timestamp / _bucketWidth) - (BucketCount - 1);
    }

    private long ReadHead()
    {
        var spinner = default(SpinWait);
        long head;
        while ((head = Volatile.Read(ref _head)) == Advancing)
        {
            spinner.SpinOnce();
        }

        return head;
    }

    /// <summary>Moves the head to the epoch of <paramref name="timestamp"/> if it is newer; true when this call moved it.</summary>
    private bool Advance(long timestamp, out long head)
    {
        while (true)
        {
            head = ReadHead();

            // Hot path: still inside the head's bucket, known without dividing. A timestamp older than the head (a thread
            // that was descheduled) counts in the newest bucket.
            if (timestamp < Volatile.Read(ref _headEnds))
            {
                return false;
            }

            long epoch = timestamp / _bucketWidth;
            if (epoch <= head)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _head, Advancing, head) != head)
            {
                continue;
            }

            long stale = Math.Min(epoch - head, BucketCount);
            for (long e = head + 1; e <= head + stale; e++)
            {
                int index = (int)(e % BucketCount);
                for (int i = index; i < _buckets.Length; i += BucketCount)
                {
                    Empty(ref _buckets[i]);
                }

                Array.Clear(_durations, index * DurationBins.Count, DurationBins.Count);
            }

            Volatile.Write(ref _headEnds, (epoch + 1) * _bucketWidth);
            Volatile.Write(ref _head, epoch);
            head = epoch;
            return true;
        }
    }

    /// <summary>Moves a bucket's calls into the evicted total (so <see cref="Recorded"/> keeps them) and zeroes it.</summary>
    private void Empty(ref Bucket bucket)
    {
        Interlocked.Add(ref _evicted, Interlocked.Exchange(ref bucket.Calls, 0));
        Interlocked.Exchange(ref bucket.Failures, 0);
        Interlocked.Exchange(ref bucket.Slow, 0);
    }

    private struct Bucket
    {
        public long Calls;
        public long Failures;
        public long Slow;
    }
}
