using System.Collections.Generic;
using System;
using Breaker.AspNetCore.Endpoints;

namespace Breaker.AspNetCore.Contracts;

/// <summary>
/// A keyed group as the monitor shows it: how many keys it holds of how many it may, its keys by state, its shared breaker
/// (for null keys and new keys that found no room; <see langword="null"/> until first needed), how many lookups that breaker
/// answered and how many keys were evicted, and its worst keys (at most five, worst first).
/// </summary>
internal sealed record GroupDetails(
    string Name,
    int Keys,
    int MaxKeys,
    double KeyIdleTimeoutMs,
    StateCounts CountsByState,
    BreakerDetails? SharedBreaker,
    long SharedCalls,
    long Evictions,
    IReadOnlyList<BreakerDetails> WorstKeys)
{
    public static GroupDetails From(GroupSnapshot snapshot) => new(
        snapshot.Group.Name,
        snapshot.Keys.Count,
        snapshot.Options.MaxKeys,
        snapshot.Options.KeyIdleTimeout.TotalMilliseconds,
        snapshot.Counts,
        snapshot.Shared is { } shared ? BreakerDetails.From(shared.Breaker) : null,
        snapshot.Group.SharedCalls,
        snapshot.Group.Evictions,
        Array.ConvertAll(snapshot.Worst(GroupSnapshot.WorstKeysListed), static key => BreakerDetails.From(key.Breaker)));
}
