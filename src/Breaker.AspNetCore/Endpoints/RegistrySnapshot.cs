using System;
using System.Collections.Generic;
using System.Linq;
using Breaker.AspNetCore.Contracts;

namespace Breaker.AspNetCore.Endpoints;

/// <summary>Every breaker of a registry read once, sorted by name, with how many are in each state.</summary>
internal sealed class RegistrySnapshot
{
    /// <summary>The most names an answer lists for the breakers that reject calls (the counts by state cover them all).</summary>
    public const int MaxNamesListed = 100;

    private RegistrySnapshot(BreakerSnapshot[] breakers)
    {
        Breakers = breakers;
        Counts = StateCounts.From(breakers);
    }

    /// <summary>Every breaker, sorted by name (ordinal).</summary>
    public IReadOnlyList<BreakerSnapshot> Breakers { get; }

    public StateCounts Counts { get; }

    /// <summary>True when no breaker rejects calls (each is closed or metrics-only).</summary>
    public bool AllClosed => Counts.Open + Counts.HalfOpen + Counts.Isolated == 0;

    public static RegistrySnapshot Take(CircuitBreakerRegistry registry)
    {
        BreakerSnapshot[] breakers = registry.Select(BreakerSnapshot.Take).ToArray();
        Array.Sort(breakers, static (x, y) => string.CompareOrdinal(x.Breaker.Name, y.Breaker.Name));
        return new RegistrySnapshot(breakers);
    }

    /// <summary>The breakers that reject calls (open, half-open, isolated), by name: the first <see cref="MaxNamesListed"/>.</summary>
    public SortedDictionary<string, CircuitState> Rejecting()
    {
        var rejecting = new SortedDictionary<string, CircuitState>(StringComparer.Ordinal);
        foreach (BreakerSnapshot snapshot in Breakers)
        {
            if (rejecting.Count == MaxNamesListed)
            {
                break;
            }

            if (snapshot.Metrics.State is CircuitState.Open or CircuitState.HalfOpen or CircuitState.Isolated)
            {
                rejecting[snapshot.Breaker.Name] = snapshot.Metrics.State;
            }
        }

        return rejecting;
    }

    /// <summary>The page a query asks for, in its order.</summary>
    public IEnumerable<BreakerSnapshot> Page(SummaryQuery query)
    {
        if (query.CountsOnly)
        {
            return [];
        }

        IEnumerable<BreakerSnapshot> ordered = query.Order == SummaryOrder.Worst ? Breakers.Order(WorstFirst.Instance) : Breakers;
        return ordered.Skip(query.Offset).Take(query.Limit);
    }
}
