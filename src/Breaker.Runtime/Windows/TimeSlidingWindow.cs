using System;
using System.Threading;

namespace Breaker.Windows;

/// <summary>The outcomes of the last <c>SamplingDuration</c>, kept in buckets that age out one at a time.</summary>
/// <remarks>
/// The window is split into <see cref="BucketCount"/> buckets. Recording adds to the bucket of the newest epoch and to
/// running totals, so reading the counts is O(1). When time enters a new epoch, one thread claims the advance (a
/// compare-and-swap on the head epoch), subtracts the buckets that aged out from the totals and publishes the new head;
/// other threads wait for that short step only, which happens once per bucket width, never per call.
/// </remarks>
internal sealed class TimeSlidingWindow : SlidingWindow
{
    public const int BucketCount = 10;
    private const long Advancing = -1;

    private readonly Bucket[] _buckets = new Bucket[BucketCount];
    private readonly long _bucketWidth;
    private long _head;
    private long _calls;
    private long _failures;
    private long _slow;

    public TimeSlidingWindow(TimeSpan samplingDuration, long timestampFrequency)
    {
        // Integer arithmetic: through floating-point seconds, 1.497 s made buckets one tick too wide, so calls aged out late.
        Int128 units = (Int128)samplingDuration.Ticks * timestampFrequency;
        Int128 perBucket = (Int128)TimeSpan.TicksPerSecond * BucketCount;
        _bucketWidth = (long)Int128.Max(1, (units + perBucket - 1) / perBucket);
    }

    public override WindowCounts Record(bool failure, bool slow, long timestamp)
    {
        ref Bucket bucket = ref _buckets[Advance(timestamp) % BucketCount];
        Interlocked.Increment(ref bucket.Calls);
        long calls = Interlocked.Increment(ref _calls);
        long failures = failure ? AddTo(ref bucket.Failures, ref _failures) : Volatile.Read(ref _failures);
        long slowCalls = slow ? AddTo(ref bucket.Slow, ref _slow) : Volatile.Read(ref _slow);
        return new WindowCounts(calls, failures, slowCalls);
    }

    public override WindowCounts GetCounts(long timestamp)
    {
        Advance(timestamp);
        return new WindowCounts(Volatile.Read(ref _calls), Volatile.Read(ref _failures), Volatile.Read(ref _slow));
    }

    private static long AddTo(ref long bucketCount, ref long total)
    {
        Interlocked.Increment(ref bucketCount);
        return Interlocked.Increment(ref total);
    }

    /// <summary>Moves the head to the epoch of <paramref name="timestamp"/> if it is newer, and returns the head.</summary>
    private long Advance(long timestamp)
    {
        long epoch = timestamp / _bucketWidth;
        var spinner = default(SpinWait);
        while (true)
        {
            long head = Volatile.Read(ref _head);
            if (head == Advancing)
            {
                spinner.SpinOnce();
                continue;
            }

            // A timestamp older than the head (a thread that was descheduled) counts in the newest bucket.
            if (epoch <= head)
            {
                return head;
            }

            if (Interlocked.CompareExchange(ref _head, Advancing, head) != head)
            {
                continue;
            }

            long stale = Math.Min(epoch - head, BucketCount);
            for (long e = head + 1; e <= head + stale; e++)
            {
                ref Bucket old = ref _buckets[e % BucketCount];
                Interlocked.Add(ref _calls, -Interlocked.Exchange(ref old.Calls, 0));
                Interlocked.Add(ref _failures, -Interlocked.Exchange(ref old.Failures, 0));
                Interlocked.Add(ref _slow, -Interlocked.Exchange(ref old.Slow, 0));
            }

            Volatile.Write(ref _head, epoch);
            return epoch;
        }
    }

    private struct Bucket
    {
        public long Calls;
        public long Failures;
        public long Slow;
    }
}
