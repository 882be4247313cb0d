using System.Runtime.InteropServices;
using System.Threading;

namespace Breaker.Timing;

/// <summary>
/// A sum that many threads may add to at once: one counter until two threads are seen adding at the same moment, then one
/// padded cell per processor. A mutable struct, kept in a field of its owner and never copied.
/// </summary>
/// <remarks>
/// A single shared counter makes every core fight for one cache line on every add; a cell per processor keeps each
/// interlocked add on a line that core already owns, but costs 64 bytes a processor (4 KB at 64), which most counters
/// (a breaker nobody calls from two threads at once) never need. So the counter starts as one field, written by
/// compare-and-swap: the swap failing is contention, measured where it happens, and only then are the cells made.
/// Reading sums the field and the cells, which only snapshots do.
/// </remarks>
internal struct StripedCounter
{
    private long _value;
    private Cell[]? _cells;

    public void Add(long value)
    {
        Cell[]? cells = Volatile.Read(ref _cells);
        if (cells is null)
        {
            // Uncontended: one compare-and-swap, as cheap as an interlocked add, on a line the breaker owns anyway.
            long seen = Volatile.Read(ref _value);
            if (Interlocked.CompareExchange(ref _value, seen + value, seen) == seen)
            {
                return;
            }

            cells = Interlocked.CompareExchange(ref _cells, new Cell[Stripes.Count], null) ?? Volatile.Read(ref _cells)!;
        }

        Interlocked.Add(ref cells[Stripes.Current].Value, value);
    }

    public long Sum
    {
        get
        {
            long sum = Volatile.Read(ref _value);
            if (Volatile.Read(ref _cells) is { } cells)
            {
                for (int i = 0; i < cells.Length; i++)
                {
                    sum += Volatile.Read(ref cells[i].Value);
                }
            }

            return sum;
        }
    }

    [StructLayout(LayoutKind.Explicit, Size = 64)]
    private struct Cell
    {
        [FieldOffset(0)]
        public long Value;
    }
}
