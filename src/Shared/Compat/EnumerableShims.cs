#if !NET9_0_OR_GREATER
using System;
using System.Collections.Generic;

/// <summary>netstandard2.0 and net8.0: LINQ's <c>CountBy</c> (.NET 9), in first-seen key order like the original.</summary>
internal static class EnumerableShims
{
    extension<TSource>(IEnumerable<TSource> source)
    {
        public IEnumerable<KeyValuePair<TKey, int>> CountBy<TKey>(Func<TSource, TKey> keySelector)
            where TKey : notnull
        {
            var counts = new Dictionary<TKey, int>();
            var order = new List<TKey>();
            foreach (TSource item in source)
            {
                TKey key = keySelector(item);
                if (counts.TryGetValue(key, out int count))
                {
                    counts[key] = count + 1;
                }
                else
                {
                    counts[key] = 1;
                    order.Add(key);
                }
            }

            var result = new List<KeyValuePair<TKey, int>>(order.Count);
            foreach (TKey key in order)
            {
                result.Add(new KeyValuePair<TKey, int>(key, counts[key]));
            }

            return result;
        }
    }
}
#endif
