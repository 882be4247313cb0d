using System;
using System.Threading;
using Breaker.Timing;

namespace Breaker.Windows;

/// <summary>The outcomes of the last <c>SamplingDuration</c>, kept in buckets that age out one at a time.</summary>
/// <remarks>
/// The window is split into <see cref="BucketCount"/> buckets by time. Recording a success is one interlocked write on the
/// current bucket; counts are summed only when someone needs them (a failure, an eviction, a snapshot). When time enters a
/// new epoch, one thread claims the advance (a compare-and-swap on the head epoch), empties the buckets that aged out and
/// publishes the new head; other threads wait for that short step only, once per bucket width, never per call.
/// <para>
/// Contention is measured, not assumed: a bucket's call count is written by compare-and-swap, and the first time the swap
/// fails (another thread counted at the same moment) the window makes one stripe of counts per processor, so that threads
/// on different cores write different cache lines from then on. A window only one thread at a time records into (most
/// of them) stays at ten buckets, whatever the processor count.
/// </para>
/// <para>
/// Durations: each bucket counts its timed calls (those whose <see cref="DurationBins"/> bin is not 0) and keeps an even
/// random sample of up to <see cref="DurationSamples.Size"/> of their bins (reservoir sampling, the choice drawn from a hash
/// of the call's rank, so nothing is allocated and nothing locked). A snapshot weighs each bucket's samples by its timed
/// calls, and counts the bucket's other calls in bin 0: the calls the cached clock timed at zero write nothing more.
/// </para>
/// </remarks>
internal sealed partial class TimeSlidingWindow : SlidingWindow
{
    public const int BucketCount = 10;
    private const long Advancing = -1;

    // Inline in the window object: no array of its own to allocate and point to. Not readonly: the buckets change in place.
    private Buckets _buckets;
    private readonly long _bucketWidth;
    private Counts[]? _stripes;
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
            // A seal holds the head too, and restores it as it was: a sum that overlapped one sees the window sealed after.
            var spinner = default(SpinWait);
            while (true)
            {
                long head = ReadHead();
                if (IsSealed)
                {
                    return SealedRecorded();
                }

                long recorded = Volatile.Read(ref _evicted);
                for (int index = 0; index < BucketCount; index++)
                {
                    recorded += CountsAt(index).Calls;
                }

                if (Volatile.Read(ref _head) == head && !IsSealed)
                {
                    return recorded;
                }

                spinner.SpinOnce();
            }
        }
    }

    public override RecordResult Record(bool failure, bool slow, int durationBin, long timestamp)
    {
        bool advanced = Advance(timestamp, out long head);
        int index = (int)(head % BucketCount);
        ref Bucket bucket = ref _buckets[index];
        ref Counts counts = ref bucket.Counts;

        // The call's count before it: negative once Seal has moved the counter below zero, and then the call is not counted
        // here (the interlocked write that counts it is its one point of order against the seal's).
        long before = 0;
        Counts[]? stripes = Volatile.Read(ref _stripes);
        if (stripes is null)
        {
            // Read-then-swap rather than an interlocked increment: it costs the same alone, and a failed swap is the one
            // sign of two threads recording at once that is free to observe.
            before = Volatile.Read(ref counts.Calls);
            if (Interlocked.CompareExchange(ref counts.Calls, before + 1, before) != before)
            {
                stripes = Stripe();
            }
        }

        if (stripes is not null)
        {
            counts = ref stripes[(Stripes.Current * BucketCount) + index];
            before = Interlocked.Increment(ref counts.Calls) - 1;
        }

        if (failure)
        {
            Interlocked.Increment(ref counts.Failures);
        }

        if (slow)
        {
            Interlocked.Increment(ref counts.Slow);
        }

        if (durationBin != 0)
        {
            bucket.Durations.Add(durationBin);
        }

        return before < 0 ? RecordResult.Sealed : failure || slow || advanced ? RecordResult.MayTrip : RecordResult.Counted;
    }

    public override long Seal()
    {
        // Stripes first: a call whose swap fails on a sealed bucket must find stripes that are sealed too, not make new ones.
        Counts[] stripes = Stripe();

        // Hold the head, so that no advance moves calls to the evicted total while the counters are sealed.
        long head;
        do
        {
            head = ReadHead();
        }
        while (Interlocked.CompareExchange(ref _head, Advancing, head) != head);

        // One atomic add a counter: each call counted in it before is in what the add returns, each after sees it negative.
        long recorded = Volatile.Read(ref _evicted);
        for (int index = 0; index < BucketCount; index++)
        {
            recorded += Interlocked.Add(ref _buckets[index].Counts.Calls, SealOffset) - SealOffset;
        }

        for (int stripe = 0; stripe < stripes.Length; stripe++)
        {
            recorded += Interlocked.Add(ref stripes[stripe].Calls, SealOffset) - SealOffset;
        }

        // Sealed before the head comes back: an advance that takes the head next sees it, and empties nothing.
        FinishSeal(recorded);
        Volatile.Write(ref _head, head);
        return recorded;
    }

    public override WindowStamp Stamp
    {
        get
        {
            // Every call is counted in the head's bucket (a late one too), after moving the head if its time is newer: the
            // head and that bucket's calls and failures (each only grows until the head moves on) change with every record.
            // One exception: a call whose thread stopped between reading the head and counting, while another moved the
            // head, lands in the bucket behind it; a monitor sees it at the next record or ageing, not at once.
            long head = ReadHead();
            Counts newest = CountsAt((int)(head % BucketCount));
            return new WindowStamp(head, newest.Calls + newest.Failures);
        }
    }

    public override WindowCounts GetCounts(long timestamp) => GetCounts(timestamp, out _);

    public override WindowCounts GetCounts(long timestamp, out long agesAt)
    {
        long head = ReadHead();
        long calls = 0, failures = 0, slow = 0;
        long oldest = long.MaxValue;
        for (int index = 0; index < BucketCount; index++)
        {
            long epoch = EpochAt(index, head);
            if (IsLive(epoch, head, timestamp))
            {
                Counts counts = CountsAt(index);
                calls += counts.Calls;
                failures += counts.Failures;
                slow += counts.Slow;
                oldest = counts.Calls > 0 ? Math.Min(oldest, epoch) : oldest;
            }
        }

        // A bucket is live while its epoch is one of the last BucketCount: it leaves at the start of epoch + BucketCount.
        agesAt = oldest > (long.MaxValue / _bucketWidth) - BucketCount ? long.MaxValue : (oldest + BucketCount) * _bucketWidth;
        return new WindowCounts(calls, failures, slow);
    }

    public override long CountDurations(Span<int> bins, long timestamp)
    {
        long head = ReadHead();
        long counted = 0;
        for (int index = 0; index < BucketCount; index++)
        {
            if (!IsLive(EpochAt(index, head), head, timestamp))
            {
                continue;
            }

            long timed = _buckets[index].Durations.AddTo(bins);

            // Bin 0 is never sampled: it is the calls the timed ones do not account for (never negative, even mid-race).
            long zero = Math.Max(0, CountsAt(index).Calls - timed);
            bins[0] += (int)Math.Min(zero, int.MaxValue);
            counted += timed + zero;
        }

        return counted;
    }

    public override void Clear()
    {
        for (int index = 0; index < BucketCount; index++)
        {
            EmptyBucket(index);
        }
    }

    /// <summary>Bucket <paramref name="index"/>'s counts, its stripes included.</summary>
    private Counts CountsAt(int index)
    {
        ref Counts own = ref _buckets[index].Counts;
        var sum = new Counts { Calls = CallsIn(ref own), Failures = Volatile.Read(ref own.Failures), Slow = Volatile.Read(ref own.Slow) };
        if (Volatile.Read(ref _stripes) is { } stripes)
        {
            for (int stripe = index; stripe < stripes.Length; stripe += BucketCount)
            {
                sum.Calls += CallsIn(ref stripes[stripe]);
                sum.Failures += Volatile.Read(ref stripes[stripe].Failures);
                sum.Slow += Volatile.Read(ref stripes[stripe].Slow);
            }
        }

        return sum;
    }

    /// <summary>The calls <paramref name="counts"/> holds, those recorded after a seal included: the counts stay readable.</summary>
    private static long CallsIn(ref Counts counts)
    {
        long calls = Volatile.Read(ref counts.Calls);
        return calls < 0 ? calls - SealOffset : calls;
    }

    /// <summary>Two threads recorded at once: from now on each processor counts in a stripe of its own (made once).</summary>
    private Counts[] Stripe() =>
        Interlocked.CompareExchange(ref _stripes, new Counts[Stripes.Count * BucketCount], null) ?? Volatile.Read(ref _stripes)!;

    /// <summary>The epoch bucket <paramref name="index"/> holds: the one in (head - BucketCount, head] congruent to it.</summary>
    private static long EpochAt(int index, long head) => head - ((((head - index) % BucketCount) + BucketCount) % BucketCount);

    /// <summary>Whether a bucket of <paramref name="epoch"/> is still inside the window at <paramref name="timestamp"/>.</summary>
    private bool IsLive(long epoch, long head, long timestamp) =>
        epoch >= Math.Max(head, timestamp / _bucketWidth) - (BucketCount - 1);

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

            // A sealed window's counters keep their seal: emptying one would make the calls that reach it count again.
            long stale = IsSealed ? 0 : Math.Min(epoch - head, BucketCount);
            for (long e = head + 1; e <= head + stale; e++)
            {
                EmptyBucket((int)(e % BucketCount));
            }

            Volatile.Write(ref _headEnds, (epoch + 1) * _bucketWidth);
            Volatile.Write(ref _head, epoch);
            head = epoch;
            return true;
        }
    }

    /// <summary>Empties bucket <paramref name="index"/> and its stripes, moving their calls into the evicted total (so <see cref="Recorded"/> keeps them).</summary>
    private void EmptyBucket(int index)
    {
        ref Bucket bucket = ref _buckets[index];
        Empty(ref bucket.Counts);
        bucket.Durations.Clear();
        if (Volatile.Read(ref _stripes) is { } stripes)
        {
            for (int stripe = index; stripe < stripes.Length; stripe += BucketCount)
            {
                Empty(ref stripes[stripe]);
            }
        }
    }

    private void Empty(ref Counts counts)
    {
        Interlocked.Add(ref _evicted, Interlocked.Exchange(ref counts.Calls, 0));
        Interlocked.Exchange(ref counts.Failures, 0);
        Interlocked.Exchange(ref counts.Slow, 0);
    }

    /// <summary>One bucket's (or one stripe's) calls, and how many of them failed or were slow.</summary>
    private struct Counts
    {
        public long Calls;
        public long Failures;
        public long Slow;
    }

    private struct Bucket
    {
        public Counts Counts;
        public DurationSamples Durations;
    }

#if NET8_0_OR_GREATER
    [System.Runtime.CompilerServices.InlineArray(BucketCount)]
    private struct Buckets
    {
        private Bucket _bucket;
    }
#endif
}
