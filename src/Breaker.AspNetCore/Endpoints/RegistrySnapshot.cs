using System;
using System.Collections.Generic;
using System.Linq;
using Breaker.AspNetCore.Contracts;

namespace Breaker.AspNetCore.Endpoints;

/// <summary>
/// Every breaker of a registry read once (its state and pressure, <see cref="BreakerSnapshot"/>), with how many are in each
/// state; and the same breakers split into those on their own and the keyed groups, each group one entry however many keys
/// it holds. Nothing is sorted whole: a page picks its breakers with <see cref="TopN{T}"/>.
/// </summary>
internal sealed class RegistrySnapshot
{
    /// <summary>The most names an answer lists for the breakers that reject calls (the counts by state cover them all).</summary>
    public const int MaxNamesListed = 100;

    private RegistrySnapshot(List<BreakerSnapshot> breakers, IReadOnlyList<BreakerSnapshot> ungrouped, GroupSnapshot[] groups)
    {
        Breakers = breakers;
        Ungrouped = ungrouped;
        Groups = groups;
        Counts = StateCounts.From(breakers);
    }

    /// <summary>Every breaker, those of keyed groups included, in no particular order.</summary>
    public IReadOnlyList<BreakerSnapshot> Breakers { get; }

    /// <summary>The breakers that belong to no keyed group: what a page lists unless it asks for a group.</summary>
    public IReadOnlyList<BreakerSnapshot> Ungrouped { get; }

    /// <summary>The keyed groups, sorted by name.</summary>
    public IReadOnlyList<GroupSnapshot> Groups { get; }

    public StateCounts Counts { get; }

    /// <summary>True when no breaker rejects calls (each is closed or metrics-only).</summary>
    public bool AllClosed => Counts.Open + Counts.HalfOpen + Counts.Isolated == 0;

    /// <summary>Reads every breaker with <paramref name="read"/> (by default its status: state and window, no percentiles).</summary>
    public static RegistrySnapshot Take(CircuitBreakerRegistry registry, Func<CircuitBreaker, BreakerSnapshot>? read = null)
    {
        // The groups first: a breaker a group creates meanwhile is then listed on its own for this answer, never lost.
        IReadOnlyCollection<CircuitBreakerGroup> groups = registry.Groups;
        read ??= BreakerSnapshot.Take;
        var breakers = new List<BreakerSnapshot>(registry.Count);
        foreach (CircuitBreaker breaker in registry)
        {
            breakers.Add(read(breaker));
        }

        GroupSnapshot[] grouped = GroupSnapshot.Split(groups, breakers, out IReadOnlyList<BreakerSnapshot> ungrouped);
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
        foreach (BreakerSnapshot snapshot in TopN<BreakerSnapshot>.Select(Ungrouped.Where(static b => Rejects(b.State)), MaxNamesListed, NameOrder.Instance))
        {
            rejecting[snapshot.Breaker.Name] = snapshot.State;
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

    /// <summary>Whether a breaker in <paramref name="state"/> rejects calls.</summary>
    public static bool Rejects(CircuitState state) => state is CircuitState.Open or CircuitState.HalfOpen or CircuitState.Isolated;

    /// <summary>
    /// The page of <paramref name="breakers"/> (and <paramref name="last"/>, which the name order puts after them all: a
    /// group's shared breaker) a query asks for, in its order: the first offset + limit picked, the offset dropped.
    /// </summary>
    public static BreakerSnapshot[] Page(SummaryQuery query, IReadOnlyList<BreakerSnapshot> breakers, BreakerSnapshot? last = null)
    {
        if (query.CountsOnly)
        {
            return [];
        }

        int end = (int)Math.Min((long)query.Offset + query.Limit, int.MaxValue);
        BreakerSnapshot[] first;
        if (query.Order == SummaryOrder.Worst)
        {
            first = TopN<BreakerSnapshot>.Select(last is { } shared ? breakers.Append(shared) : breakers, end, WorstFirst.Instance);
        }
        else
        {
            first = TopN<BreakerSnapshot>.Select(breakers, end, NameOrder.Instance);
            if (last is { } shared && first.Length < end)
            {
                first = [.. first, shared];
            }
        }

        return first[Math.Min(query.Offset, first.Length)..];
    }
}
