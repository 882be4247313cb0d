using System.Collections.Generic;
using System.Threading;

namespace Breaker;

/// <summary>
/// A breaker's last <see cref="Capacity"/> events, in a ring of slots written in place, made with the breaker's first event
/// (a breaker that never changes state never has one). It starts with room for <see cref="InitialCapacity"/> entries and
/// doubles, up to <see cref="Capacity"/>, as entries come: a breaker that opened and closed once holds a few hundred bytes,
/// a busy one at most about 2.5 KB. Once full, recording allocates nothing.
/// </summary>
/// <remarks>
/// One writer at a time (the breaker records under its transition lock, where the state changes it describes are made, so
/// the ring holds them in the order they happened); any number of readers, without a lock. Each slot carries the sequence
/// number of the entry in it, negated while the writer fills it: a reader keeps an entry only if the slot showed its
/// number before and after the copy, so it never sees half of one entry and half of another. A larger array is published
/// before the entry that needed it, so a reader that saw an entry's number reads an array that holds it.
/// </remarks>
internal sealed class EventRing
{
    public const int Capacity = 32;
    public const int InitialCapacity = 4;

    private volatile Slot[] _slots = new Slot[InitialCapacity];
    private long _written;
    private long _periodStartUtcTicks;
    private long _rejectionsAtPeriodStart;

    // The latest time recorded, and whether an entry was ever recorded at an earlier time than one before it (a clock set
    // back): until then the latest time is the newest entry's, and Count need not look at the slots.
    private long _latestUtcTicks;
    private bool _outOfOrder;

    /// <summary>How many entries were ever recorded: the sequence number of the newest.</summary>
    public long Written => Volatile.Read(ref _written);

    /// <summary>Under the transition lock: when the current period (state) began, in UTC ticks (0 before the first change).</summary>
    public long PeriodStartUtcTicks => Volatile.Read(ref _periodStartUtcTicks);

    /// <summary>Under the transition lock: the breaker's rejections counted when the current period began.</summary>
    public long RejectionsAtPeriodStart => Volatile.Read(ref _rejectionsAtPeriodStart);

    /// <summary>Records an entry; the caller holds the breaker's transition lock.</summary>
    public void Add(in EventEntry entry)
    {
        long sequence = _written + 1;
        Slot[] slots = _slots;
        if (sequence > slots.Length && slots.Length < Capacity)
        {
            slots = Grow(slots);
        }

        ref Slot slot = ref slots[(int)((sequence - 1) % slots.Length)];
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

    /// <summary>Under the transition lock: a new period starts at <paramref name="utcTicks"/>, with <paramref name="rejections"/> counted so far.</summary>
    public void StartPeriod(long utcTicks, long rejections)
    {
        // Rejections first: a reader takes the period's start only as a label for the burst it computes from them.
        Volatile.Write(ref _rejectionsAtPeriodStart, rejections);
        Volatile.Write(ref _periodStartUtcTicks, utcTicks);
    }

    /// <summary>The entries still in the ring, newest first, with their sequence numbers; one overwritten during the read is left out.</summary>
    public List<(long Sequence, EventEntry Entry)> ReadNewestFirst()
    {
        long newest = Written;
        Slot[] slots = _slots;
        var entries = new List<(long, EventEntry)>((int)System.Math.Min(newest, slots.Length));
        for (long sequence = newest; sequence > 0 && sequence > newest - slots.Length; sequence--)
        {
            ref Slot slot = ref slots[(int)((sequence - 1) % slots.Length)];
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
        Slot[] slots = _slots;
        for (long sequence = newest; sequence > 0 && sequence > newest - slots.Length; sequence--)
        {
            ref Slot slot = ref slots[(int)((sequence - 1) % slots.Length)];
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

    /// <summary>Copies every entry into an array twice as large (they keep their places, since none has wrapped yet) and publishes it.</summary>
    private Slot[] Grow(Slot[] slots)
    {
        var larger = new Slot[System.Math.Min(slots.Length * 2, Capacity)];
        slots.CopyTo(larger, 0);
        _slots = larger;
        return larger;
    }

    private struct Slot
    {
        public long Sequence;
        public EventEntry Entry;
    }
}
