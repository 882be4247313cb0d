using System;
using System.Collections.Generic;
using System.Linq;
using Breaker.AspNetCore.Contracts;

namespace Breaker.AspNetCore.Endpoints;

/// <summary>
/// Every breaker of a registry read once, sorted by name, with how many are in each state; and the same breakers split
/// into those on their own and the keyed groups, each group one entry however many keys it holds.
/// </summary>
internal sealed class RegistrySnapshot
{
    /// <summary>The most names an answer lists for the breakers that reject calls (the counts by state cover them all).</summary>
    public const int MaxNamesListed = 100;

    private RegistrySnapshot(BreakerSnapshot[] breakers, BreakerSnapshot[] ungrouped, GroupSnapshot[] groups)
    {
        Breakers = breakers;
        Ungrouped = ungrouped;
        Groups = groups;
        Counts = StateCounts.From(breakers);
    }

    /// <summary>Every breaker, those of keyed groups included, sorted by name (ordinal).</summary>
    public IReadOnlyList<BreakerSnapshot> Breakers { get; }

    /// <summary>The breakers that belong to no keyed group, sorted by name: what a page lists unless it asks for a group.</summary>
    public IReadOnlyList<BreakerSnapshot> Ungrouped { get; }

    /// <summary>The keyed groups, sorted by name.</summary>
    public IReadOnlyList<GroupSnapshot> Groups { get; }

    public StateCounts Counts { get; }

    /// <summary>True when no breaker rejects calls (each is closed or metrics-only).</summary>
    public bool AllClosed => Counts.Open + Counts.HalfOpen + Counts.Isolated == 0;

    public static RegistrySnapshot Take(CircuitBreakerRegistry registry)
    {
        // The groups first: a breaker a group creates meanwhile is then listed on its own for this answer, never lost.
        IReadOnlyCollection<CircuitBreakerGroup> groups = registry.Groups;
        BreakerSnapshot[] breakers = registry.Select(BreakerSnapshot.Take).ToArray();
        Array.Sort(breakers, static (x, y) => string.CompareOrdinal(x.Breaker.Name, y.Breaker.Name));
        GroupSnapshot[] grouped = GroupSnapshot.Split(groups, breakers, out BreakerSnapshot[] ungrouped);
        return new RegistrySnapshot(breakers, ungrouped, grouped);
    }

    public GroupSnapshot? FindGroup(string name) => Groups.FirstOrDefault(g => g.Group.Name == name);

    /// <summary>
    /// What rejects calls, by name, the first <see cref="MaxNamesListed"/>: each breaker on its own that is open, half-open
    /// or isolated, then each keyed group with such a breaker, under the group's name with the state that most needs attention.
    /// </summary>
    public SortedDictionary<string, CircuitState> Rejecting()
    {
        var rejecting = new SortedDictionary<string, CircuitState>(StringComparer.Ordinal);
        foreach (BreakerSnapshot snapshot in Ungrouped)
        {
            if (rejecting.Count == MaxNamesListed)
            {
                return rejecting;
            }

            if (snapshot.Metrics.State is CircuitState.Open or CircuitState.HalfOpen or CircuitState.Isolated)
            {
                rejecting[snapshot.Breaker.Name] = snapshot.Metrics.State;
            }
        }

        foreach (GroupSnapshot group in Groups)
        {
            if (rejecting.Count == MaxNamesListed)
            {
                break;
            }

            if (group.RejectingState is { } state)
            {
                rejecting.TryAdd(group.Group.Name, state);
            }
        }

        return rejecting;
    }

    /// <summary>The page of <paramref name="breakers"/> a query asks for, in its order.</summary>
    public static IEnumerable<BreakerSnapshot> Page(SummaryQuery query, IReadOnlyList<BreakerSnapshot> breakers)
    {
        if (query.CountsOnly)
        {
            return [];
        }

        IEnumerable<BreakerSnapshot> ordered = query.Order == SummaryOrder.Worst ? breakers.Order(WorstFirst.Instance) : breakers;
        return ordered.Skip(query.Offset).Take(query.Limit);
    }
}
