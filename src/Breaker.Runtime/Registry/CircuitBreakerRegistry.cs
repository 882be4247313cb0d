using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Linq;

namespace Breaker;

/// <summary>
/// The breakers of an application, by name. Generated code takes its breakers from <see cref="Default"/>; configuration
/// registered here with <see cref="Configure"/> overrides what the attribute says.
/// </summary>
public sealed class CircuitBreakerRegistry : IReadOnlyCollection<CircuitBreaker>
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Action<CircuitBreakerOptions>> _configurations = new(StringComparer.Ordinal);
    private readonly object _configureLock = new();
    private TimeProvider _timeProvider;

    /// <summary>Creates an empty registry.</summary>
    /// <param name="timeProvider">The clock its breakers read; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    public CircuitBreakerRegistry(TimeProvider? timeProvider = null) => _timeProvider = timeProvider ?? TimeProvider.System;

    /// <summary>The registry generated code uses.</summary>
    public static CircuitBreakerRegistry Default { get; } = new();

    /// <summary>The clock given to breakers created from now on (those that exist keep theirs).</summary>
    public TimeProvider TimeProvider
    {
        get => _timeProvider;
        set => _timeProvider = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>How many breakers the registry holds.</summary>
    public int Count => _entries.Count;

    /// <summary>Raised once for each breaker the registry creates, after it is stored (so logging and telemetry can attach).</summary>
    public event EventHandler<CircuitBreaker>? BreakerAdded;

    /// <summary>
    /// Raised when a breaker is created and what <see cref="Configure"/> registered for it makes invalid options on top
    /// of its code's defaults: rather than fail the call (for generated code, a type initializer), the breaker starts
    /// with the code's options, and this event says why.
    /// </summary>
    public event EventHandler<ConfigurationRejectedEventArgs>? ConfigurationRejected;

    /// <summary>
    /// Returns the breaker called <paramref name="name"/>, creating it on first use. Its options are the library
    /// defaults, then <paramref name="defaults"/> (for generated code, the attribute's values), then what was
    /// registered with <see cref="Configure"/>. Later callers share the first caller's breaker and defaults.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The options are invalid without any configuration; the message names the breaker and the option.</exception>
    public CircuitBreaker GetOrAdd(string name, Action<CircuitBreakerOptions>? defaults = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return GetOrAdd(name, group: null, defaults);
    }

    /// <summary>
    /// Returns the breaker for <paramref name="key"/> in the keyed group <paramref name="group"/> (one breaker per host,
    /// per tenant...), named <c>group + ":" + key</c> and created on first use like <see cref="GetOrAdd(string, Action{CircuitBreakerOptions}?)"/>.
    /// Its <see cref="CircuitBreaker.Group"/> says it belongs to a group: such breakers are made from input and may be many,
    /// so fleet coordination leaves them out unless they are listed.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The options are invalid without any configuration; the message names the breaker and the option.</exception>
    public CircuitBreaker GetOrAddInGroup(string group, string key, Action<CircuitBreakerOptions>? defaults = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(group);
        ArgumentException.ThrowIfNullOrEmpty(key);
        return GetOrAdd(group + ":" + key, group, defaults);
    }

    private CircuitBreaker GetOrAdd(string name, string? group, Action<CircuitBreakerOptions>? defaults)
    {
        if (_entries.TryGetValue(name, out Entry? existing))
        {
            return existing.Breaker;
        }

        Entry entry;
        ArgumentOutOfRangeException? rejected;
        lock (_configureLock)
        {
            // Under the lock so that two racing callers get one instance, and Configure cannot slip in between.
            if (_entries.TryGetValue(name, out Entry? raced))
            {
                return raced.Breaker;
            }

            entry = new Entry(new CircuitBreaker(name, BuildOptions(name, defaults, out rejected), _timeProvider) { Group = group }, defaults);
            _entries[name] = entry;
        }

        if (rejected is not null && ConfigurationRejected is { } rejectedHandlers)
        {
            Notify(rejectedHandlers, new ConfigurationRejectedEventArgs(name, rejected));
        }

        if (BreakerAdded is { } handlers)
        {
            Notify(handlers, entry.Breaker);
        }

        return entry.Breaker;
    }

    /// <summary>
    /// Sets the run-time configuration of the breaker called <paramref name="name"/>, replacing any earlier one. A breaker
    /// that already exists is reconfigured at once, keeping its state; one created later starts with it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The resulting options of a live breaker are invalid; it keeps its old ones.</exception>
    public void Configure(string name, Action<CircuitBreakerOptions> configure)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        lock (_configureLock)
        {
            if (_entries.TryGetValue(name, out Entry? entry))
            {
                var options = new CircuitBreakerOptions();
                entry.Defaults?.Invoke(options);
                configure(options);
                options.Validate(name);
                entry.Breaker.Reconfigure(options);
            }

            _configurations[name] = configure;
        }
    }

    /// <summary>Finds the breaker called <paramref name="name"/>, if it exists.</summary>
    public bool TryGet(string name, [NotNullWhen(true)] out CircuitBreaker? breaker)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_entries.TryGetValue(name, out Entry? entry))
        {
            breaker = entry.Breaker;
            return true;
        }

        breaker = null;
        return false;
    }

    /// <summary>Every breaker's metrics, sorted by name, with counts by state; <c>ToString()</c> draws it as a tree.</summary>
    public CircuitBreakerRegistrySummary GetSummary() =>
        new(this.Select(static b => b.GetMetrics()).OrderBy(static m => m.Name, StringComparer.Ordinal).ToArray());

    /// <inheritdoc/>
    public IEnumerator<CircuitBreaker> GetEnumerator()
    {
        foreach (KeyValuePair<string, Entry> pair in _entries)
        {
            yield return pair.Value.Breaker;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private CircuitBreakerOptions BuildOptions(string name, Action<CircuitBreakerOptions>? defaults, out ArgumentOutOfRangeException? rejected)
    {
        rejected = null;
        var options = new CircuitBreakerOptions();
        defaults?.Invoke(options);
        if (_configurations.TryGetValue(name, out Action<CircuitBreakerOptions>? configure))
        {
            CircuitBreakerOptions configured = options.Clone();
            configure(configured);
            try
            {
                configured.Validate(name);
                return configured;
            }
            catch (ArgumentOutOfRangeException error)
            {
                rejected = error;
            }
        }

        options.Validate(name);
        return options;
    }

    private void Notify<TEventArgs>(EventHandler<TEventArgs> handlers, TEventArgs args)
    {
        foreach (EventHandler<TEventArgs> handler in Delegate.EnumerateInvocationList(handlers))
        {
            try
            {
                handler(this, args);
            }
            catch (Exception)
            {
                // A listener's failure must not fail the call that happened to create the breaker.
            }
        }
    }

    private sealed record Entry(CircuitBreaker Breaker, Action<CircuitBreakerOptions>? Defaults);
}
