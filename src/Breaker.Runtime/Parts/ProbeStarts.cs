using System;

namespace Breaker.Parts;

/// <summary>
/// When each probe of the current half-open period started, so that the oldest one still running can be found. Only
/// touched under the breaker's transition lock; holds at most <c>SuccessThreshold</c> entries.
/// </summary>
internal sealed class ProbeStarts
{
    private long[] _starts = [];
    private int _count;

    /// <summary>The start of the oldest probe in flight, or <see cref="long.MaxValue"/> when none is.</summary>
    public long Oldest { get; private set; } = long.MaxValue;

    public void Clear(int capacity)
    {
        if (_starts.Length < capacity)
        {
            _starts = new long[capacity];
        }

        _count = 0;
        Oldest = long.MaxValue;
    }

    public void Add(long start)
    {
        if (_count == _starts.Length)
        {
            // Only after a reconfiguration raised SuccessThreshold mid-period; never on a steady path.
            Array.Resize(ref _starts, (_count * 2) + 1);
        }

        _starts[_count++] = start;
        Oldest = Math.Min(Oldest, start);
    }

    /// <summary>Forgets one probe that started at <paramref name="start"/> (probes that started together are interchangeable).</summary>
    public void Remove(long start)
    {
        int index = Array.IndexOf(_starts, start, 0, _count);
        if (index < 0)
        {
            return;
        }

        _starts[index] = _starts[--_count];
        Oldest = long.MaxValue;
        for (int i = 0; i < _count; i++)
        {
            Oldest = Math.Min(Oldest, _starts[i]);
        }
    }
}
