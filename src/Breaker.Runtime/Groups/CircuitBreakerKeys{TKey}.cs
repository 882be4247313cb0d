using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using Breaker.Groups;
using Breaker.Parts;

namespace Breaker;

/// <summary>
/// The keys of one type of a keyed <see cref="CircuitBreakerGroup"/>, and the lookup that finds each key's breaker: what
/// generated code for <c>[CircuitBreaker(Key = ...)]</c> holds, from <see cref="CircuitBreakerRegistry.GetOrAddGroup{TKey}"/>.
/// The group is the idea (a name, options, a bound, counts); this is how a call reaches it with a key. Keys are compared with
/// <see cref="EqualityComparer{T}.Default"/>: strings ordinally, value types without boxing.
/// </summary>
/// <typeparam name="TKey">The key's type: a string, a number, an enum, a <see cref="Guid"/>, a record, any type with value equality.</typeparam>
public sealed class CircuitBreakerKeys<TKey> : IKeyIndex
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, CircuitBreaker> _breakers = new();

    internal CircuitBreakerKeys(CircuitBreakerGroup group) => Group = group;

    /// <summary>The group these keys belong to: its name, options, counts and live breakers.</summary>
    public CircuitBreakerGroup Group { get; }

    /// <summary>The group's name.</summary>
    public string Name => Group.Name;

    /// <summary>
    /// The breaker of <paramref name="key"/>, made on the key's first call. A null key, and a new key while the group is full
    /// of keys it may not evict, get the group's <see cref="CircuitBreakerGroup.SharedBreaker"/>. For a key seen before this
    /// is one dictionary read and no allocation.
    /// </summary>
    /// <param name="key">The key, such as a tenant's id.</param>
    public CircuitBreaker GetBreaker(TKey? key)
    {
        // Tests: a scope current in this flow owns the group whole (keys, bound, evictions, shared breaker). One static
        // read while no scope was ever made.
        if (CircuitBreakerScope.InUse && CircuitBreakerScope.StandInGroup(Group) is { } scoped)
        {
            return scoped.Keys<TKey>().GetBreaker(key);
        }

        if (key is null)
        {
            return Group.Shared();
        }

        // Hot path: a lock-free read, and the idle mark (written only when the group's millisecond clock moved).
        if (_breakers.TryGetValue(key, out CircuitBreaker? breaker))
        {
            breaker.Touch(Group.Now());
            return breaker;
        }

        return Add(key);
    }

    /// <summary>
    /// The breaker of calls without a key (a <c>Nullable&lt;T&gt;</c> key with no value): the group's
    /// <see cref="CircuitBreakerGroup.SharedBreaker"/>, made on first use.
    /// </summary>
    public CircuitBreaker GetSharedBreaker() =>
        CircuitBreakerScope.InUse && CircuitBreakerScope.StandInGroup(Group) is { } scoped ? scoped.Shared() : Group.Shared();

    /// <summary>Finds the breaker <paramref name="key"/> has now (in a test scope, the scope's), without making one or marking the key used.</summary>
    /// <param name="key">The key.</param>
    /// <param name="breaker">Its breaker, when it has one.</param>
    public bool TryGetBreaker(TKey key, [NotNullWhen(true)] out CircuitBreaker? breaker)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (CircuitBreakerScope.InUse && CircuitBreakerScope.StandInGroup(Group) is { } scoped)
        {
            return scoped.Keys<TKey>()._breakers.TryGetValue(key, out breaker);
        }

        return _breakers.TryGetValue(key, out breaker);
    }

    void IKeyIndex.AddBreakersTo(List<CircuitBreaker> breakers)
    {
        foreach (KeyValuePair<TKey, CircuitBreaker> pair in _breakers)
        {
            breakers.Add(pair.Value);
        }
    }

    IEnumerable<CircuitBreaker> IKeyIndex.Breakers()
    {
        foreach (KeyValuePair<TKey, CircuitBreaker> pair in _breakers)
        {
            yield return pair.Value;
        }
    }

    void IKeyIndex.EvictIdle(long idleBefore, List<CircuitBreaker> evicted)
    {
        foreach (KeyValuePair<TKey, CircuitBreaker> pair in _breakers)
        {
            if (pair.Value.TryEvict(idleBefore, (Keys: _breakers, Pair: pair), static state => state.Keys.TryRemove(state.Pair)))
            {
                // A call that looked the key up before this is admitted by the key's next breaker (CircuitBreaker.TryAcquire).
                evicted.Add(pair.Value);
            }
        }
    }

    /// <summary>A key without a breaker: make one if the group has room (or can make some), otherwise share.</summary>
    private CircuitBreaker Add(TKey key)
    {
        long now = Group.Now();
        if (!Group.MayAdd(now))
        {
            // Full, and the next scan is not due: no lock, no allocation.
            return Group.Shared();
        }

        // The key's text is written outside the lock (it runs the key's own ToString).
        string text = KeyNames.Text(key);
        CircuitBreaker? created = null;
        ArgumentOutOfRangeException? rejected = null;
        List<CircuitBreaker>? evicted;
        lock (Group.KeysLock)
        {
            if (_breakers.TryGetValue(key, out CircuitBreaker? raced))
            {
                raced.Touch(now);
                return raced;
            }

            if (Group.MakeRoom(now, out evicted))
            {
                created = Group.CreateKeyed(text, new KeyPart<TKey>(this, key), now, out rejected);
                _breakers[key] = created;
            }
        }

        Group.Announce(created, rejected, evicted);
        return created ?? Group.Shared();
    }
}
