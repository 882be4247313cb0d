using System;
using System.Collections.Generic;
using System.Linq;
using Breaker.AspNetCore.Contracts;

namespace Breaker.AspNetCore.Endpoints;

/// <summary>A keyed group as one answer sees it: its options, its keys' breakers (in no particular order) and its shared breaker.</summary>
internal sealed class GroupSnapshot
{
    /// <summary>How many of a group's keys its summary names: the worst.</summary>
    public const int WorstKeysListed = 5;

    public GroupSnapshot(CircuitBreakerGroup group, BreakerSnapshot[] keys, BreakerSnapshot? shared)
    {
        Group = group;
        Options = group.Options;
        Keys = keys;
        Shared = shared;
        Counts = StateCounts.From(keys);
    }

    public CircuitBreakerGroup Group { get; }

    public CircuitBreakerOptions Options { get; }

    /// <summary>The keys' breakers.</summary>
    public IReadOnlyList<BreakerSnapshot> Keys { get; }

    public BreakerSnapshot? Shared { get; }

    /// <summary>The keys by state (the shared breaker is not a key).</summary>
    public StateCounts Counts { get; }

    /// <summary>How many breakers a page of the group goes through: its keys', and its shared one once made.</summary>
    public int BreakerCount => Keys.Count + (Shared is null ? 0 : 1);

    /// <summary>The state that most needs attention among the group's breakers, when any rejects calls.</summary>
    public CircuitState? RejectingState
    {
        get
        {
            IEnumerable<BreakerSnapshot> all = Shared is { } shared ? Keys.Append(shared) : Keys;
            BreakerSnapshot[] worst = TopN<BreakerSnapshot>.Select(all.Where(static b => RegistrySnapshot.Rejects(b.State)), 1, WorstFirst.Instance);
            return worst.Length == 0 ? null : worst[0].State;
        }
    }

    public BreakerSnapshot[] Worst(int count) => TopN<BreakerSnapshot>.Select(Keys, count, WorstFirst.Instance);

    /// <summary>Sorts <paramref name="breakers"/> into their groups; what belongs to no group of <paramref name="groups"/> stays in <paramref name="ungrouped"/>.</summary>
    public static GroupSnapshot[] Split(IEnumerable<CircuitBreakerGroup> groups, IReadOnlyList<BreakerSnapshot> breakers, out IReadOnlyList<BreakerSnapshot> ungrouped)
    {
        if (!groups.Any())
        {
            // No keyed group: every breaker is on its own, and the list serves as it is (10,000 breakers, 240 KB not copied).
            ungrouped = breakers;
            return [];
        }

        var byName = groups.ToDictionary(static g => g.Name, StringComparer.Ordinal);
        var members = byName.Keys.ToDictionary(static name => name, static _ => new List<BreakerSnapshot>(), StringComparer.Ordinal);
        var rest = new List<BreakerSnapshot>(breakers.Count);
        foreach (BreakerSnapshot snapshot in breakers)
        {
            if (snapshot.Breaker.Group is { } group && members.TryGetValue(group, out List<BreakerSnapshot>? list))
            {
                list.Add(snapshot);
            }
            else
            {
                rest.Add(snapshot);
            }
        }

        ungrouped = rest;
        return byName.Values
            .OrderBy(static g => g.Name, StringComparer.Ordinal)
            .Select(g =>
            {
                List<BreakerSnapshot> list = members[g.Name];
                int sharedAt = list.FindIndex(s => ReferenceEquals(s.Breaker, g.SharedBreaker));
                BreakerSnapshot? shared = sharedAt < 0 ? null : list[sharedAt];
                if (sharedAt >= 0)
                {
                    list.RemoveAt(sharedAt);
                }

                return new GroupSnapshot(g, [.. list], shared);
            })
            .ToArray();
    }
}
