using System.Collections.Generic;
using System.Threading;

namespace Breaker;

/// <summary>
/// A breaker's last <see cref="Capacity"/> events, in a ring of slots written in place: recording one allocates nothing.
/// </summary>
/// <remarks>
/// One writer at a time (the breaker records under its transition lock, where the state changes it describes are made, so
/// the ring holds them in the order they happened); any number of readers, without a lock. Each slot carries the sequence
/// number of the entry in it, negated while the writer fills it: a reader keeps an entry only if the slot showed its
/// number before and after the copy, so it never sees half of one entry and half of another.
/// </remarks>
internal sealed class EventRing
{
    public const int Capacity = 32;

    private readonly Slot[] _slots = new Slot[Capacity];
    private long _written;

    // The latest time recorded, and whether an entry was ever recorded at an earlier time than one before it (a clock set
    // back): until then the latest time is the newest entry's, and Count need not look at the slots.
    private long _latestUtcTicks;
    private bool _outOfOrder;

    /// <summary>How many entries were ever recorded: the sequence number of the newest.</summary>
    public long Written => Volatile.Read(ref _written);

    /// <summary>Records an entry; the caller holds the breaker's transition lock.</summary>
    public void Add(in EventEntry entry)
    {
        long sequence = _written + 1;
        ref Slot slot = ref _slots[(int)((sequence - 1) % Capacity)];
        Interlocked.Exchange(ref slot.Sequence, -sequence);
        slot.Entry = entry;
        Volatile.Write(ref slot.Sequence, sequence);
        if (entry.UtcTicks < _latestUtcTicks)
        {
            Volatile.Write(ref _outOfOrder, true);
        }
        else
        {
            Volatile.Write(ref _latestUtcTicks, entry.UtcTicks);
        }

        Volatile.Write(ref _written, sequence);
    }

    /// <summary>The entries still in the ring, newest first, with their sequence numbers; one overwritten during the read is left out.</summary>
    public List<(long Sequence, EventEntry Entry)> ReadNewestFirst()
    {
        long newest = Written;
        var entries = new List<(long, EventEntry)>((int)System.Math.Min(newest, Capacity));
        for (long sequence = newest; sequence > 0 && sequence > newest - Capacity; sequence--)
        {
            ref Slot slot = ref _slots[(int)((sequence - 1) % Capacity)];
            if (Volatile.Read(ref slot.Sequence) != sequence)
            {
                continue;
            }

            EventEntry entry = slot.Entry;
            Interlocked.MemoryBarrier();
            if (Volatile.Read(ref slot.Sequence) == sequence)
            {
                entries.Add((sequence, entry));
            }
        }

        return entries;
    }

    /// <summary>
    /// How many entries <see cref="ReadNewestFirst"/> would return, and the latest time among them (0 when none), without
    /// copying them out. The latest, not the newest: after a clock was set back, a later entry may carry an earlier time,
    /// and only then are the slots read.
    /// </summary>
    public int Count(out long latestUtcTicks)
    {
        long newest = Written;
        if (!Volatile.Read(ref _outOfOrder))
        {
            latestUtcTicks = Volatile.Read(ref _latestUtcTicks);
            return (int)System.Math.Min(newest, Capacity);
        }

        latestUtcTicks = 0;
        int count = 0;
        for (long sequence = newest; sequence > 0 && sequence > newest - Capacity; sequence--)
        {
            ref Slot slot = ref _slots[(int)((sequence - 1) % Capacity)];
            if (Volatile.Read(ref slot.Sequence) != sequence)
            {
                continue;
            }

            long ticks = slot.Entry.UtcTicks;
            Interlocked.MemoryBarrier();
            if (Volatile.Read(ref slot.Sequence) == sequence)
            {
                count++;
                latestUtcTicks = System.Math.Max(latestUtcTicks, ticks);
            }
        }

        return count;
    }

    private struct Slot
    {
        public long Sequence;
        public EventEntry Entry;
    }
}
