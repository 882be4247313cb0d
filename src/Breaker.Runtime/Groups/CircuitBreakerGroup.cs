using System;
using System.Collections.Generic;
using System.Threading;
using Breaker.Groups;
using Breaker.Parts;
using Breaker.Telemetry;
using Breaker.Timing;

namespace Breaker;

/// <summary>
/// A keyed group: one circuit breaker per key (per tenant, per host, per shard), named <c>group:key</c> and made with the
/// group's options, so one key's failing dependency opens only that key's breaker. The group is bounded: it holds at most
/// <see cref="CircuitBreakerOptions.MaxKeys"/> keys and makes room for a new one by evicting keys unused for
/// <see cref="CircuitBreakerOptions.KeyIdleTimeout"/> and keys held open past their own break only by a dependency's
/// Retry-After, never a breaker whose own break is not over, one with a call in flight nor one held by hand. A new key that
/// finds no room, and a null key, use the group's <see cref="SharedBreaker"/>.
/// </summary>
/// <remarks>
/// <see cref="CircuitBreakerRegistry.GetOrAddGroup{TKey}"/> returns the <see cref="CircuitBreakerKeys{TKey}"/> that finds
/// a key's breaker; this is the group itself, as observers read it. It is configured by its name like any breaker
/// (<see cref="CircuitBreakerRegistry.Configure"/>), and every key's breaker follows, live ones included. Its breakers are
/// in the registry while they live, each with <see cref="CircuitBreaker.Group"/> set to the group's name.
/// </remarks>
public sealed class CircuitBreakerGroup
{
    // While the group is full, it looks for idle keys at most this often: a flood of new keys costs one scan per interval,
    // not one per key, however the keys turn idle (a key that turns idle between two scans waits for the next). A breaker
    // reset by hand is noticed by the next scan.
    private static readonly TimeSpan RescanInterval = TimeSpan.FromSeconds(1);

    private readonly CircuitBreakerRegistry _registry;
    private readonly object _keysLock = new();
    private readonly bool _systemClock;
    private StripedCounter _sharedCalls;

    // Written under _keysLock, read without it.
    private volatile CircuitBreakerOptions _options;
    private volatile IKeyIndex[] _indexes = [];
    private volatile CircuitBreaker? _shared;
    private int _count;
    private long _evictions;
    private long _nextScan;
    private int _renames;

    internal CircuitBreakerGroup(CircuitBreakerRegistry registry, string name, CircuitBreakerOptions codeOptions, CircuitBreakerOptions options, TimeProvider timeProvider)
    {
        _registry = registry;
        Name = name;
        CodeOptions = codeOptions;
        _options = options;
        TimeProvider = timeProvider;
        _systemClock = ReferenceEquals(timeProvider, TimeProvider.System);
        Series = new BreakerSeries(name, key: null);
        BreakerTelemetry.Track(this);
    }

    /// <summary>The group's name: the start of its breakers' names, and the name configuration knows it by.</summary>
    public string Name { get; }

    /// <summary>The clock the group's breakers read, and by which it tells how long a key went unused.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>A copy of the options every key's breaker starts from, limits of the group included.</summary>
    public CircuitBreakerOptions Options => _options.Clone();

    /// <summary>How many keys have a breaker now (the shared breaker is not one of them).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>
    /// The breaker calls use when their key has none of its own: a null key, or a new key while the group is full of keys
    /// it may not evict. Named <c>group:*</c>; <see langword="null"/> until first needed.
    /// </summary>
    public CircuitBreaker? SharedBreaker => _shared;

    /// <summary>How many lookups were answered with the <see cref="SharedBreaker"/>.</summary>
    public long SharedCalls => _sharedCalls.Sum;

    /// <summary>How many keys were evicted so far.</summary>
    public long Evictions => Interlocked.Read(ref _evictions);

    /// <summary>The registry the group's breakers are in.</summary>
    internal CircuitBreakerRegistry Registry => _registry;

    /// <summary>The options every key starts from before what configuration says about the group: the code's.</summary>
    internal CircuitBreakerOptions CodeOptions { get; }

    /// <summary>Whether the group's metrics carry each key.</summary>
    internal bool MetricsPerKey => _options.MetricsPerKey;

    internal object KeysLock => _keysLock;

    /// <summary>The tags the group's one series carries (when it does not report keys).</summary>
    internal BreakerSeries Series { get; }

    /// <summary>The group's calls as one series, the counts of evicted keys included.</summary>
    internal GroupCallTotals CallTotals { get; } = new();

    /// <summary>The breakers of the keys live now (not the shared breaker), in no particular order: a snapshot.</summary>
    public IReadOnlyList<CircuitBreaker> GetBreakers()
    {
        var breakers = new List<CircuitBreaker>(Count);
        foreach (IKeyIndex index in _indexes)
        {
            index.AddBreakersTo(breakers);
        }

        return breakers;
    }

    /// <summary>
    /// The breakers of the keys live now and the shared breaker, read as they are walked rather than copied: what a meter
    /// collecting the group's one series reads, once per instrument, without a copy of every key.
    /// </summary>
    internal IEnumerable<CircuitBreaker> WalkBreakers()
    {
        foreach (IKeyIndex index in _indexes)
        {
            foreach (CircuitBreaker breaker in index.Breakers())
            {
                yield return breaker;
            }
        }

        if (_shared is { } shared)
        {
            yield return shared;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({Count} of {_options.MaxKeys} keys)";

    /// <summary>The group's breakers by keys of type <typeparamref name="TKey"/>, made on first use.</summary>
    internal CircuitBreakerKeys<TKey> Keys<TKey>()
        where TKey : notnull
    {
        foreach (IKeyIndex index in _indexes)
        {
            if (index is CircuitBreakerKeys<TKey> typed)
            {
                return typed;
            }
        }

        lock (_keysLock)
        {
            foreach (IKeyIndex index in _indexes)
            {
                if (index is CircuitBreakerKeys<TKey> typed)
                {
                    return typed;
                }
            }

            // Methods keyed by different types may share a name: each type has its own breakers, under the group's bound.
            var created = new CircuitBreakerKeys<TKey>(this);
            _indexes = [.. _indexes, created];
            return created;
        }
    }

    /// <summary>The group's clock: on the system clock the cached timestamp (one memory read), as the hot path reads it.</summary>
    internal long Now() => _systemClock ? CoarseClock.Timestamp : TimeProvider.GetTimestamp();

    /// <summary>Without the lock: whether a new key may get a breaker, or must share; wrong only towards taking the lock.</summary>
    internal bool MayAdd(long now) => Volatile.Read(ref _count) < _options.MaxKeys || now >= Volatile.Read(ref _nextScan);

    /// <summary>The shared breaker, made on first use; counted as a lookup it answered.</summary>
    internal CircuitBreaker Shared()
    {
        _sharedCalls.Add(1);
        return _shared ?? CreateShared();
    }

    /// <summary>
    /// Under the lock: whether one more key fits, after evicting (into <paramref name="evicted"/>, null when no scan ran) every
    /// idle key that may go when the group is full and its last scan is a <see cref="RescanInterval"/> old. New keys share
    /// without taking the lock until the next scan is due.
    /// </summary>
    internal bool MakeRoom(long now, out List<CircuitBreaker>? evicted)
    {
        evicted = null;
        CircuitBreakerOptions options = _options;
        if (_count < options.MaxKeys)
        {
            return true;
        }

        if (now < _nextScan)
        {
            // Only reachable when another thread scanned between this lookup's MayAdd and its taking the lock.
            return false;
        }

        long idleBefore = now - ToTimestampTicks(options.KeyIdleTimeout);
        evicted = [];
        foreach (IKeyIndex index in _indexes)
        {
            index.EvictIdle(idleBefore, evicted);
        }

        foreach (CircuitBreaker breaker in evicted)
        {
            _registry.Unregister(breaker);
            CallTotals.Retire(breaker);
        }

        Volatile.Write(ref _count, _count - evicted.Count);
        Interlocked.Add(ref _evictions, evicted.Count);
        Volatile.Write(ref _nextScan, now + ToTimestampTicks(RescanInterval));
        return _count < options.MaxKeys;
    }

    /// <summary>Under the lock: the breaker of a new key, registered, counted and marked used at <paramref name="now"/>.</summary>
    internal CircuitBreaker CreateKeyed(string keyText, KeyPart key, long now, out ArgumentOutOfRangeException? rejected)
    {
        CircuitBreaker breaker = Register(KeyNames.Escape(keyText), key, out rejected);
        breaker.Touch(now);
        Volatile.Write(ref _count, _count + 1);
        return breaker;
    }

    /// <summary>Outside the lock: tells the registry's listeners what a lookup evicted and created.</summary>
    internal void Announce(CircuitBreaker? created, ArgumentOutOfRangeException? rejected, List<CircuitBreaker>? evicted)
    {
        if (evicted is not null)
        {
            foreach (CircuitBreaker breaker in evicted)
            {
                _registry.OnBreakerRemoved(breaker);
            }
        }

        if (created is not null)
        {
            _registry.OnBreakerAdded(created, rejected);
        }
    }

    /// <summary>
    /// Takes <paramref name="options"/> (validated) for the keys made from now on, and returns every breaker made before
    /// (the shared one included), which the registry reconfigures.
    /// </summary>
    internal List<CircuitBreaker> Apply(CircuitBreakerOptions options)
    {
        lock (_keysLock)
        {
            _options = options;

            // A larger bound, or a shorter idle time, may make room at once.
            Volatile.Write(ref _nextScan, 0);
            var breakers = (List<CircuitBreaker>)GetBreakers();
            if (_shared is { } shared)
            {
                breakers.Add(shared);
            }

            return breakers;
        }
    }

    private CircuitBreaker CreateShared()
    {
        CircuitBreaker? created = null;
        ArgumentOutOfRangeException? rejected = null;
        lock (_keysLock)
        {
            if (_shared is null)
            {
                created = Register(KeyNames.SharedKey, new SharedKeyPart(this), out rejected);
                _shared = created;
            }
        }

        Announce(created, rejected, evicted: null);
        return _shared!;
    }

    /// <summary>
    /// Under the lock: a breaker named after the group and <paramref name="keyName"/>, with its <paramref name="key"/> part, in
    /// the registry. A name another breaker holds (a plain breaker called so, or a key with the same text) gets <c>%#</c> and
    /// a number, so every key has a breaker of its own.
    /// </summary>
    private CircuitBreaker Register(string keyName, KeyPart key, out ArgumentOutOfRangeException? rejected)
    {
        string name = Name + ":" + keyName;
        while (true)
        {
            var breaker = new CircuitBreaker(name, _registry.KeyOptions(name, _options, out rejected), TimeProvider, key) { Owner = _registry };
            if (_registry.TryRegister(breaker, _options))
            {
                return breaker;
            }

            name = Name + ":" + keyName + "%#" + ++_renames;
        }
    }

    private long ToTimestampTicks(TimeSpan duration) => BreakerSettings.ToTimestampTicks(duration, TimeProvider.TimestampFrequency);
}
