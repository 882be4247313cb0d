using System;
using System.Collections.Generic;

namespace Breaker.AspNetCore.Endpoints;

/// <summary>
/// Every breaker's recent events merged into one feed, newest first (then by breaker name, then newest of one breaker
/// first), of which a request wants one page. Reading out every ring and sorting it all would cost each request the whole
/// registry's events (330,000 records at 10,000 full rings); instead each breaker says, without building anything, how many
/// events it has and when its latest happened, and only the breakers whose events can reach the page are read out.
/// </summary>
/// <remarks>
/// Why that is enough: order the breakers by their latest event (then by name). The latest events of the first <c>n</c>
/// breakers are <c>n</c> events ahead of every event of any breaker after them, so the first <c>n</c> events of the feed
/// all come from those first <c>n</c> breakers; and reading them in order can stop at the first breaker whose latest event
/// is behind the <c>n</c>-th event found so far.
/// </remarks>
internal static class EventMerge
{
    /// <summary>The page <paramref name="offset"/> and <paramref name="limit"/> ask for, and how many events all breakers hold.</summary>
    public static List<CircuitBreakerEvent> Page(IEnumerable<CircuitBreaker> breakers, int offset, int limit, out int total)
    {
        int wanted = (int)Math.Min((long)offset + limit, int.MaxValue);
        var candidates = new TopN<Latest>(wanted, LatestFirst.Instance);
        long count = 0;
        foreach (CircuitBreaker breaker in breakers)
        {
            int events = breaker.CountRecentEvents(out DateTimeOffset latest);
            if (events > 0)
            {
                count += events;
                candidates.Add(new Latest(latest.UtcTicks, breaker));
            }
        }

        total = (int)Math.Min(count, int.MaxValue);
        var picked = new List<CircuitBreakerEvent>();
        if (offset >= count)
        {
            return picked;
        }

        foreach (Latest candidate in candidates.TakeInOrder())
        {
            if (picked.Count >= wanted && IsBehind(candidate, picked[wanted - 1]))
            {
                break;
            }

            picked.AddRange(candidate.Breaker.GetRecentEvents());
            if (picked.Count >= wanted)
            {
                // Sorted and cut at each step, so the last kept is the n-th event so far for the test above.
                picked.Sort(NewestFirst);
                picked.RemoveRange(wanted, picked.Count - wanted);
            }
        }

        picked.Sort(NewestFirst);
        picked.RemoveRange(0, Math.Min(offset, picked.Count));
        return picked;
    }

    /// <summary>Newest first; then by breaker name; one breaker's events of the same instant by their order, newest first.</summary>
    public static int NewestFirst(CircuitBreakerEvent x, CircuitBreakerEvent y)
    {
        int byTime = y.Time.CompareTo(x.Time);
        if (byTime != 0)
        {
            return byTime;
        }

        int byName = string.CompareOrdinal(x.BreakerName, y.BreakerName);
        return byName != 0 ? byName : y.Sequence.CompareTo(x.Sequence);
    }

    // The best event the candidate has is its latest, under its name: behind the n-th, none of its events make the page.
    private static bool IsBehind(Latest candidate, CircuitBreakerEvent nth) =>
        candidate.UtcTicks < nth.Time.UtcTicks
        || (candidate.UtcTicks == nth.Time.UtcTicks && string.CompareOrdinal(candidate.Breaker.Name, nth.BreakerName) > 0);

    /// <summary>A breaker with events, and when the latest of them happened.</summary>
    private readonly record struct Latest(long UtcTicks, CircuitBreaker Breaker);

    /// <summary>The breakers whose latest event is newest first, then by name (the order of the feed's first events).</summary>
    private sealed class LatestFirst : IComparer<Latest>
    {
        public static LatestFirst Instance { get; } = new();

        public int Compare(Latest x, Latest y)
        {
            int byTime = y.UtcTicks.CompareTo(x.UtcTicks);
            return byTime != 0 ? byTime : string.CompareOrdinal(x.Breaker.Name, y.Breaker.Name);
        }
    }
}
