#if !NET8_0_OR_GREATER
using System.Collections.Concurrent;
using System.Collections.Generic;

/// <summary>netstandard2.0: <c>TryRemove(KeyValuePair)</c> (.NET 5+), removing a key only while it still maps to that value.</summary>
internal static class ConcurrentDictionaryShims
{
    extension<TKey, TValue>(ConcurrentDictionary<TKey, TValue> dictionary)
        where TKey : notnull
    {
        // ConcurrentDictionary's ICollection<KeyValuePair>.Remove is the same atomic compare-and-remove.
        public bool TryRemove(KeyValuePair<TKey, TValue> item) => ((ICollection<KeyValuePair<TKey, TValue>>)dictionary).Remove(item);
    }
}
#endif
