using System.Runtime.InteropServices;
using System.Threading;

namespace Breaker.Timing;

/// <summary>A sum that many threads add to at once, spread over one padded cell per processor.</summary>
/// <remarks>
/// A single shared counter makes every core fight for one cache line on every call; a cell per processor keeps each
/// interlocked add on a line that core already owns. Reading sums the cells, which only snapshots do.
/// </remarks>
internal sealed class StripedCounter
{
    private readonly Cell[] _cells = new Cell[Stripes.Count];

    public void Add(long value) => Interlocked.Add(ref _cells[Stripes.Current].Value, value);

    public long Sum
    {
        get
        {
            long sum = 0;
            for (int i = 0; i < _cells.Length; i++)
            {
                sum += Volatile.Read(ref _cells[i].Value);
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
