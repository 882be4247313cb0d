using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using System.Threading;

namespace Breaker;

/// <summary>
/// The breakers of an application, by name. Generated code declares its breakers to <see cref="Default"/> when its assembly
/// loads and takes them from it on first use; configuration registered here with <see cref="Configure"/> overrides what
/// the attribute says.
/// </summary>
/// <remarks>
/// A declared breaker is created when the registry is first asked for it by name (<see cref="GetOrAdd"/>,
/// <see cref="TryGet"/>, <see cref="Configure"/>) or asked to list its breakers (enumerating it, <see cref="Count"/>,
/// <see cref="GetSummary"/>): as late as possible, so that it takes the <see cref="TimeProvider"/> and the configuration
/// the application sets up at start-up. Listing creates only breakers that do not exist yet; it changes none that does.
/// </remarks>
public sealed class CircuitBreakerRegistry : IReadOnlyCollection<CircuitBreaker>
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Action<CircuitBreakerOptions>> _configurations = new(StringComparer.Ordinal);
    private readonly object _configureLock = new();

    // Written under _configureLock, read without it: the first declaration of each name (it gives the breaker its code's
    // options), and every declaration in the order made. The flag says some declared breaker may not exist yet.
    private readonly ConcurrentDictionary<string, CircuitBreakerDeclaration> _declared = new(StringComparer.Ordinal);
    private IReadOnlyList<CircuitBreakerDeclaration> _declarations = Array.Empty<CircuitBreakerDeclaration>();
    private volatile bool _uncreatedDeclarations;
    private TimeProvider _timeProvider;

    // A scope's registry: the registry whose breakers it stands in for (Default). Its breakers are made with what that
    // registry's code and configuration give the breaker of the same name, then what is configured here.
    private readonly CircuitBreakerRegistry? _shared;

    /// <summary>Creates an empty registry.</summary>
    /// <param name="timeProvider">The clock its breakers read; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    public CircuitBreakerRegistry(TimeProvider? timeProvider = null) => _timeProvider = timeProvider ?? TimeProvider.System;

    /// <summary>Creates the registry of a <see cref="CircuitBreakerScope"/>, standing in for <paramref name="standsInFor"/>.</summary>
    internal CircuitBreakerRegistry(TimeProvider? timeProvider, CircuitBreakerRegistry standsInFor)
        : this(timeProvider) => _shared = standsInFor;

    /// <summary>The registry generated code uses.</summary>
    public static CircuitBreakerRegistry Default { get; } = new();

    /// <summary>The clock given to breakers created from now on (those that exist keep theirs).</summary>
    public TimeProvider TimeProvider
    {
        get => _timeProvider;
        set => _timeProvider = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>How many breakers the registry holds, declared ones included.</summary>
    public int Count
    {
        get
        {
            CreateDeclaredBreakers();
            return _entries.Count;
        }
    }

    /// <summary>
    /// Every declaration made to this registry, in the order made (two methods may declare one name: both are listed).
    /// Reading it creates nothing.
    /// </summary>
    public IReadOnlyList<CircuitBreakerDeclaration> Declarations => Volatile.Read(ref _declarations);

    /// <summary>Raised once for each breaker the registry creates, after it is stored (so logging and telemetry can attach).</summary>
    public event EventHandler<CircuitBreaker>? BreakerAdded;

    /// <summary>
    /// Raised when a breaker is created and what <see cref="Configure"/> registered for it makes invalid options on top
    /// of its code's defaults: rather than fail the call (for generated code, a type initializer), the breaker starts
    /// with the code's options, and this event says why.
    /// </summary>
    public event EventHandler<ConfigurationRejectedEventArgs>? ConfigurationRejected;

    /// <summary>
    /// Records that the code declares a breaker, so the registry lists it (and judges its configuration by its code's
    /// options) before its first call. The first declaration of a name gives the breaker its code's options; a later one
    /// with the same name is listed in <see cref="Declarations"/> but changes nothing, nor does declaring a breaker that
    /// already exists. Generated code calls this from a module initializer.
    /// </summary>
    public void Declare(CircuitBreakerDeclaration declaration)
    {
        ArgumentNullException.ThrowIfNull(declaration);
        lock (_configureLock)
        {
            Volatile.Write(ref _declarations, new ReadOnlyCollection<CircuitBreakerDeclaration>([.. _declarations, declaration]));
            if (_declared.TryAdd(declaration.Name, declaration) && !_entries.ContainsKey(declaration.Name))
            {
                _uncreatedDeclarations = true;
            }
        }
    }

    /// <summary>
    /// Returns the breaker called <paramref name="name"/>, creating it on first use. Its options are the library
    /// defaults, then what the code says (the first <see cref="Declare">declaration</see> of the name, or else
    /// <paramref name="defaults"/>), then what was registered with <see cref="Configure"/>. Later callers share the
    /// first caller's breaker and options.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The options are invalid without any configuration; the message names the breaker and the option.</exception>
    public CircuitBreaker GetOrAdd(string name, Action<CircuitBreakerOptions>? defaults = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return GetOrAddCore(name, group: null, defaults);
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
        return GetOrAddCore(group + ":" + key, group, defaults);
    }

    /// <summary>In a scope's registry: its breaker of <paramref name="shared"/>'s name (and group), made on first use with the options the shared one is made with.</summary>
    internal CircuitBreaker StandInFor(CircuitBreaker shared) =>
        _entries.TryGetValue(shared.Name, out Entry? existing) ? existing.Breaker : Add(shared.Name, shared.Group, defaults: null, shared);

    private CircuitBreaker GetOrAddCore(string name, string? group, Action<CircuitBreakerOptions>? defaults) =>
        _entries.TryGetValue(name, out Entry? existing) ? existing.Breaker : Add(name, group, defaults, shared: null);

    private CircuitBreaker Add(string name, string? group, Action<CircuitBreakerOptions>? defaults, CircuitBreaker? shared)
    {
        Entry entry;
        ArgumentOutOfRangeException? rejected;
        lock (_configureLock)
        {
            // Under the lock so that two racing callers get one instance, and Configure cannot slip in between.
            if (_entries.TryGetValue(name, out Entry? raced))
            {
                return raced.Breaker;
            }

            CircuitBreakerOptions code = CodeOptions(name, defaults, shared);
            entry = new Entry(new CircuitBreaker(name, BuildOptions(name, code, out rejected), _timeProvider) { Owner = this, Group = group }, code);
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
    /// that already exists is reconfigured at once, keeping its state; one created later starts with it. The result is
    /// judged on top of the code's options when they are known: those of a breaker that exists or is declared.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// The resulting options of a live or declared breaker are invalid; nothing changes (a live breaker keeps its options).
    /// </exception>
    public void Configure(string name, Action<CircuitBreakerOptions> configure)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        lock (_configureLock)
        {
            if (_entries.TryGetValue(name, out Entry? entry))
            {
                CircuitBreakerOptions options = Inherited(name, entry.CodeOptions).Clone();
                configure(options);
                options.Validate(name);
                entry.Breaker.Reconfigure(options);
            }
            else if (KnownCodeOptions(name) is { } code)
            {
                // Not created yet: judged by what its code declares, so a mistake surfaces here rather than on its first call.
                CircuitBreakerOptions options = Inherited(name, code).Clone();
                configure(options);
                options.Validate(name);
            }

            _configurations[name] = configure;
        }
    }

    /// <summary>Finds the breaker called <paramref name="name"/>, if it exists or is declared.</summary>
    public bool TryGet(string name, [NotNullWhen(true)] out CircuitBreaker? breaker)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_entries.TryGetValue(name, out Entry? entry) || (CreateIfDeclared(name) && _entries.TryGetValue(name, out entry)))
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
        CreateDeclaredBreakers();
        foreach (KeyValuePair<string, Entry> pair in _entries)
        {
            yield return pair.Value.Breaker;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>
    /// Under the lock: what the code says about a breaker about to be created: its first declaration; in a scope's registry,
    /// what the shared registry's code says (or the options of the <paramref name="shared"/> breaker it stands in for);
    /// or else <paramref name="defaults"/>.
    /// </summary>
    private CircuitBreakerOptions CodeOptions(string name, Action<CircuitBreakerOptions>? defaults, CircuitBreaker? shared)
    {
        if (KnownCodeOptions(name) is { } known)
        {
            return known;
        }

        if (shared is not null)
        {
            return shared.Options;
        }

        var options = new CircuitBreakerOptions();
        defaults?.Invoke(options);
        options.Validate(name);
        return options;
    }

    /// <summary>A copy of the options the code gives the breaker called <paramref name="name"/>, when they are known here (or, for a scope's registry, in the shared one).</summary>
    private CircuitBreakerOptions? KnownCodeOptions(string name) =>
        _entries.TryGetValue(name, out Entry? entry) ? entry.CodeOptions.Clone()
        : _declared.TryGetValue(name, out CircuitBreakerDeclaration? declaration) ? declaration.Options
        : _shared?.KnownCodeOptions(name);

    /// <summary>
    /// The code's options with the configuration registered for <paramref name="name"/> on top (in a scope's registry, the
    /// shared registry's first). A configuration that makes them invalid is set aside, and reported here.
    /// </summary>
    private CircuitBreakerOptions BuildOptions(string name, CircuitBreakerOptions code, out ArgumentOutOfRangeException? rejected)
    {
        rejected = null;
        CircuitBreakerOptions inherited = Inherited(name, code);
        if (_configurations.TryGetValue(name, out Action<CircuitBreakerOptions>? configure))
        {
            CircuitBreakerOptions configured = inherited.Clone();
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

        return inherited;
    }

    /// <summary>The code's options, with what the shared registry configures for <paramref name="name"/> when this is a scope's registry (the shared registry reports its own mistakes).</summary>
    private CircuitBreakerOptions Inherited(string name, CircuitBreakerOptions code) =>
        _shared is null ? code : _shared.BuildOptions(name, code, out _);

    /// <summary>Creates the breaker called <paramref name="name"/> if it is declared and not created yet; true when it exists afterwards.</summary>
    private bool CreateIfDeclared(string name)
    {
        if (_entries.ContainsKey(name))
        {
            return true;
        }

        if (!_declared.ContainsKey(name))
        {
            return false;
        }

        GetOrAdd(name);
        return true;
    }

    /// <summary>
    /// Creates every declared breaker that does not exist yet, outside the lock (so BreakerAdded is raised as on a first
    /// call). The flag is cleared only once every declared breaker exists, so a listing racing another one misses none.
    /// </summary>
    private void CreateDeclaredBreakers()
    {
        if (!_uncreatedDeclarations)
        {
            return;
        }

        foreach (string name in _declared.Keys)
        {
            CreateIfDeclared(name);
        }

        lock (_configureLock)
        {
            if (_declared.Keys.All(_entries.ContainsKey))
            {
                _uncreatedDeclarations = false;
            }
        }
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

    /// <summary>A breaker, and the options its code gave it (what a new configuration is applied on top of).</summary>
    private sealed record Entry(CircuitBreaker Breaker, CircuitBreakerOptions CodeOptions);
}
