using System.Collections.Generic;

namespace Breaker.AspNetCore.Endpoints;

/// <summary>
/// The first <c>n</c> of many in an order, without sorting them all: a heap keeps the best <c>n</c> added so far with the
/// worst of them on top, so choosing the 24 a page shows out of 10,000 breakers costs most of them one comparison with that
/// 24th, and allocates the heap alone.
/// </summary>
internal sealed class TopN<T>
{
    private readonly int _n;
    private readonly IComparer<T> _order;
    private readonly PriorityQueue<T, T> _heap;

    /// <summary>Keeps the first <paramref name="n"/> (none when it is not positive) of what is added, in <paramref name="order"/>.</summary>
    public TopN(int n, IComparer<T> order)
    {
        _n = n;
        _order = order;

        // Under the reversed order the heap's top is the worst kept: the one a better newcomer replaces.
        _heap = new PriorityQueue<T, T>(Comparer<T>.Create((x, y) => order.Compare(y, x)));
    }

    public void Add(T item)
    {
        if (_heap.Count < _n)
        {
            _heap.Enqueue(item, item);
        }
        else if (_n > 0 && _order.Compare(item, _heap.Peek()) < 0)
        {
            _heap.DequeueEnqueue(item, item);
        }
    }

    /// <summary>What was kept, best first; the heap is empty afterwards.</summary>
    public T[] TakeInOrder()
    {
        var best = new T[_heap.Count];
        for (int i = best.Length - 1; i >= 0; i--)
        {
            best[i] = _heap.Dequeue();
        }

        return best;
    }

    /// <summary>The first <paramref name="n"/> of <paramref name="items"/> in <paramref name="order"/>, best first.</summary>
    public static T[] Select(IEnumerable<T> items, int n, IComparer<T> order)
    {
        var top = new TopN<T>(n, order);
        foreach (T item in items)
        {
            top.Add(item);
        }

        return top.TakeInOrder();
    }
}
