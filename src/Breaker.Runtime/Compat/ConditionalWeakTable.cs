#if !NET8_0_OR_GREATER
using System;
using System.Collections;
using System.Collections.Generic;

namespace Breaker.Telemetry;

/// <summary>
/// netstandard2.0: the enumerable weak set BreakerTelemetry keeps its breakers and groups in. The BCL's
/// ConditionalWeakTable enumerates only on .NET Core 2.0+, so here the keys are weak references in a list (under a lock:
/// a key is added once per breaker or group made, and read when a meter listener observes), pruned as they die.
/// Declared in Breaker.Telemetry, it takes the place of the BCL type there with the same call shape.
/// </summary>
internal sealed class ConditionalWeakTable<TKey, TValue> : IEnumerable<KeyValuePair<TKey, TValue>>
    where TKey : class
{
    private readonly List<(WeakReference<TKey> Key, TValue Value)> _entries = [];

    public void AddOrUpdate(TKey key, TValue value)
    {
        lock (_entries)
        {
            _entries.RemoveAll(entry => !entry.Key.TryGetTarget(out TKey? live) || ReferenceEquals(live, key));
            _entries.Add((new WeakReference<TKey>(key), value));
        }
    }

    public IEnumerator<KeyValuePair<TKey, TValue>> GetEnumerator()
    {
        var live = new List<KeyValuePair<TKey, TValue>>();
        lock (_entries)
        {
            foreach ((WeakReference<TKey> key, TValue value) in _entries)
            {
                if (key.TryGetTarget(out TKey? target))
                {
                    live.Add(new KeyValuePair<TKey, TValue>(target, value));
                }
            }
        }

        return live.GetEnumerator();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
#endif
