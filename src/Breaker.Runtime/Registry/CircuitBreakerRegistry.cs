using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using System.Threading;
using Breaker.Parts;

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
/// Keyed groups (<see cref="GetOrAddGroup{TKey}"/>) live beside the breakers, under their own names; each key's breaker is
/// in the registry while its group keeps it.
/// </remarks>
public sealed class CircuitBreakerRegistry : IReadOnlyCollection<CircuitBreaker>
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CircuitBreakerGroup> _groups = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Action<CircuitBreakerOptions>> _configurations = new(StringComparer.Ordinal);
    private readonly object _configureLock = new();

    // Written under _configureLock, read without it: the first declaration of each name (it gives the breaker its code's
    // options), keyed groups apart, and every declaration in the order made. The flag says some declared breaker or group
    // may not exist yet.
    private readonly ConcurrentDictionary<string, CircuitBreakerDeclaration> _declared = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CircuitBreakerDeclaration> _declaredGroups = new(StringComparer.Ordinal);
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

    /// <summary>The keyed groups (one breaker per key), declared ones included, in no particular order: a snapshot.</summary>
    public IReadOnlyCollection<CircuitBreakerGroup> Groups
    {
        get
        {
            CreateDeclaredBreakers();
            return _groups.Values.ToArray();
        }
    }

    /// <summary>How many breakers the registry holds, declared ones and those of keyed groups included.</summary>
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
    /// Raised once for each breaker that leaves the registry: a keyed group's breaker evicted to make room for another key
    /// (so that whoever attached to it lets it go).
    /// </summary>
    public event EventHandler<CircuitBreaker>? BreakerRemoved;

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
    /// already exists. A declaration with a <see cref="CircuitBreakerDeclaration.KeyParameter"/> declares a keyed group
    /// the same way. Generated code calls this from a module initializer.
    /// </summary>
    public void Declare(CircuitBreakerDeclaration declaration)
    {
        ArgumentNullException.ThrowIfNull(declaration);
        lock (_configureLock)
        {
            Volatile.Write(ref _declarations, new ReadOnlyCollection<CircuitBreakerDeclaration>([.. _declarations, declaration]));
            bool uncreated = declaration.KeyParameter is null
                ? _declared.TryAdd(declaration.Name, declaration) && !_entries.ContainsKey(declaration.Name)
                : _declaredGroups.TryAdd(declaration.Name, declaration) && !_groups.ContainsKey(declaration.Name);
            if (uncreated)
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
    /// <exception cref="ArgumentException">
    /// The name is a keyed group's (<c>group:key</c> of a group that exists or is declared): keys come from input, so a plain
    /// breaker never shares a key's breaker nor takes a name a key may get. A plain breaker made before its group keeps its name.
    /// </exception>
    public CircuitBreaker GetOrAdd(string name, Action<CircuitBreakerOptions>? defaults = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return _entries.TryGetValue(name, out Entry? existing) && existing.Breaker.OwningGroup is null
            ? existing.Breaker
            : Add(name, defaults, shared: null);
    }

    /// <summary>In a scope's registry: its breaker of <paramref name="shared"/>'s name (and group), made on first use with the options the shared one is made with.</summary>
    internal CircuitBreaker StandInFor(CircuitBreaker shared) =>
        _entries.TryGetValue(shared.Name, out Entry? existing) ? existing.Breaker : Add(shared.Name, defaults: null, shared);

    /// <summary>
    /// In a scope's registry: its group of <paramref name="shared"/>'s name, made on first use with the code options the
    /// shared group is made with, under this registry's configuration.
    /// </summary>
    internal CircuitBreakerGroup StandInFor(CircuitBreakerGroup shared) =>
        _groups.TryGetValue(shared.Name, out CircuitBreakerGroup? existing) ? existing : AddGroup(shared.Name, defaults: null, shared);

    private CircuitBreaker Add(string name, Action<CircuitBreakerOptions>? defaults, CircuitBreaker? shared)
    {
        Entry entry;
        ArgumentOutOfRangeException? rejected;
        lock (_configureLock)
        {
            // Under the lock so that two racing callers get one instance, and Configure cannot slip in between.
            if (_entries.TryGetValue(name, out Entry? raced) && raced.Breaker.OwningGroup is null)
            {
                return raced.Breaker;
            }

            if (GroupOwning(name) is { } group)
            {
                throw new ArgumentException(
                    $"The name '{name}' belongs to keyed group '{group}': its keys' breakers are named '{group}:key'. Give the plain breaker another name.",
                    nameof(name));
            }

            CircuitBreakerOptions code = CodeOptions(name, defaults, shared);
            entry = new Entry(new CircuitBreaker(name, BuildOptions(name, code, out rejected), _timeProvider) { Owner = this, Group = shared?.Group }, code);
            _entries[name] = entry;
        }

        OnBreakerAdded(entry.Breaker, rejected);
        return entry.Breaker;
    }

    /// <summary>
    /// Returns the keyed group called <paramref name="name"/>, creating it on first use: one breaker per key, each named
    /// <c>name:key</c>. Its options are layered like <see cref="GetOrAdd"/>'s (the library defaults, then the code's — the
    /// first keyed <see cref="Declare">declaration</see> of the name, or else <paramref name="defaults"/> — then what was
    /// registered with <see cref="Configure"/> for <paramref name="name"/>), and every key's breaker starts from them.
    /// Methods keyed by different types may share a group; each type has its own breakers, under the group's bound.
    /// </summary>
    /// <typeparam name="TKey">The key's type; it must have value equality (<see cref="EqualityComparer{T}.Default"/> compares keys).</typeparam>
    /// <exception cref="ArgumentOutOfRangeException">The options are invalid without any configuration; the message names the group and the option.</exception>
    public CircuitBreakerKeys<TKey> GetOrAddGroup<TKey>(string name, Action<CircuitBreakerOptions>? defaults = null)
        where TKey : notnull
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return (_groups.TryGetValue(name, out CircuitBreakerGroup? existing) ? existing : AddGroup(name, defaults, shared: null)).Keys<TKey>();
    }

    /// <summary>Finds the keyed group called <paramref name="name"/>, if it exists or is declared.</summary>
    public bool TryGetGroup(string name, [NotNullWhen(true)] out CircuitBreakerGroup? group)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_groups.TryGetValue(name, out group))
        {
            return true;
        }

        if (_declaredGroups.ContainsKey(name))
        {
            group = AddGroup(name, defaults: null, shared: null);
            return true;
        }

        return false;
    }

    /// <summary>
    /// Sets the run-time configuration of the breaker called <paramref name="name"/>, replacing any earlier one. A breaker
    /// that already exists is reconfigured at once, keeping its state; one created later starts with it. The result is
    /// judged on top of the code's options when they are known: those of a breaker that exists or is declared. The name of
    /// a keyed group configures the group (its limits included) and every key's breaker, live ones at once; the name of one
    /// key's breaker (<c>group:key</c>) configures that key on top of its group.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// The resulting options of a live or declared breaker or group are invalid; nothing changes (live breakers keep their options).
    /// </exception>
    public void Configure(string name, Action<CircuitBreakerOptions> configure)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        lock (_configureLock)
        {
            // Everything is judged before anything changes.
            CircuitBreakerOptions? breakerOptions = null;
            if (_entries.TryGetValue(name, out Entry? entry))
            {
                try
                {
                    breakerOptions = Configured(Inherited(name, entry.Breaker.OwningGroup?.Options ?? entry.CodeOptions), name, configure);
                }
                catch (Exception error)
                {
                    // The breaker keeps its options; its history says why the new ones were refused.
                    entry.Breaker.RecordConfigurationRejected(error.Message);
                    throw;
                }
            }
            else if (KnownCodeOptions(name) is { } code)
            {
                // Not created yet: judged by what its code declares, so a mistake surfaces here rather than on its first call.
                Configured(Inherited(name, code), name, configure);
            }

            CircuitBreakerOptions? groupOptions = null;
            if (_groups.TryGetValue(name, out CircuitBreakerGroup? group))
            {
                groupOptions = Configured(Inherited(name, group.CodeOptions), name, configure);
            }
            else if (_declaredGroups.TryGetValue(name, out CircuitBreakerDeclaration? declaredGroup))
            {
                Configured(declaredGroup.Options, name, configure);
            }

            // Stored first: a key's breaker created from now on reads it (without this lock), and one created before is in the group.
            _configurations[name] = configure;
            if (breakerOptions is not null)
            {
                entry!.Breaker.Reconfigure(breakerOptions);
            }

            if (groupOptions is not null)
            {
                foreach (CircuitBreaker breaker in group!.Apply(groupOptions))
                {
                    breaker.Reconfigure(KeyOptions(breaker.Name, groupOptions, out _));
                }
            }
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

        return shared is not null ? shared.Options : FromDefaults(name, defaults);
    }

    /// <summary>The library defaults with <paramref name="defaults"/> (what the calling code says) on top, validated.</summary>
    private static CircuitBreakerOptions FromDefaults(string name, Action<CircuitBreakerOptions>? defaults)
    {
        var options = new CircuitBreakerOptions();
        defaults?.Invoke(options);
        options.Validate(name);
        return options;
    }

    /// <summary>What <paramref name="configure"/> makes of <paramref name="options"/> (a copy), validated.</summary>
    private static CircuitBreakerOptions Configured(CircuitBreakerOptions options, string name, Action<CircuitBreakerOptions> configure)
    {
        CircuitBreakerOptions configured = options.Clone();
        configure(configured);
        configured.Validate(name);
        return configured;
    }

    /// <summary>Creates the keyed group called <paramref name="name"/> unless it exists, as <see cref="GetOrAdd"/> creates breakers.</summary>
    private CircuitBreakerGroup AddGroup(string name, Action<CircuitBreakerOptions>? defaults, CircuitBreakerGroup? shared)
    {
        CircuitBreakerGroup group;
        ArgumentOutOfRangeException? rejected;
        lock (_configureLock)
        {
            if (_groups.TryGetValue(name, out CircuitBreakerGroup? raced))
            {
                return raced;
            }

            CircuitBreakerOptions code = KnownGroupCodeOptions(name) ?? shared?.CodeOptions ?? FromDefaults(name, defaults);
            group = new CircuitBreakerGroup(this, name, code, BuildOptions(name, code, out rejected), _timeProvider);
            _groups[name] = group;
        }

        if (rejected is not null && ConfigurationRejected is { } handlers)
        {
            EventHandlers.Raise(handlers, this, new ConfigurationRejectedEventArgs(name, rejected));
        }

        return group;
    }

    /// <summary>
    /// The options of the breaker called <paramref name="name"/> in a keyed group whose options are <paramref name="groupOptions"/>:
    /// the group's, then what was configured for that name (set aside, and said in <paramref name="rejected"/>, when invalid).
    /// Read without the lock: a group makes its keys' breakers under its own.
    /// </summary>
    internal CircuitBreakerOptions KeyOptions(string name, CircuitBreakerOptions groupOptions, out ArgumentOutOfRangeException? rejected) =>
        BuildOptions(name, groupOptions, out rejected);

    /// <summary>Stores a keyed group's new breaker under its name; false when the name is taken.</summary>
    internal bool TryRegister(CircuitBreaker breaker, CircuitBreakerOptions codeOptions) =>
        _entries.TryAdd(breaker.Name, new Entry(breaker, codeOptions));

    /// <summary>Removes an evicted breaker of a keyed group (its listeners hear of it through <see cref="OnBreakerRemoved"/>).</summary>
    internal void Unregister(CircuitBreaker breaker)
    {
        if (_entries.TryGetValue(breaker.Name, out Entry? entry) && ReferenceEquals(entry.Breaker, breaker))
        {
            _entries.TryRemove(new KeyValuePair<string, Entry>(breaker.Name, entry));
        }
    }

    /// <summary>Tells listeners about a breaker a keyed group created (and configuration it had to set aside).</summary>
    internal void OnBreakerAdded(CircuitBreaker breaker, ArgumentOutOfRangeException? rejected)
    {
        if (rejected is not null)
        {
            breaker.RecordConfigurationRejected(rejected.Message);
            if (ConfigurationRejected is { } rejectedHandlers)
            {
                EventHandlers.Raise(rejectedHandlers, this, new ConfigurationRejectedEventArgs(breaker.Name, rejected));
            }
        }

        if (BreakerAdded is { } handlers)
        {
            EventHandlers.Raise(handlers, this, breaker);
        }
    }

    /// <summary>Tells listeners about a breaker a keyed group evicted.</summary>
    internal void OnBreakerRemoved(CircuitBreaker breaker)
    {
        if (BreakerRemoved is { } handlers)
        {
            EventHandlers.Raise(handlers, this, breaker);
        }
    }

    /// <summary>A copy of the options the code gives the breaker called <paramref name="name"/>, when they are known here (or, for a scope's registry, in the shared one).</summary>
    private CircuitBreakerOptions? KnownCodeOptions(string name) =>
        _entries.TryGetValue(name, out Entry? entry) ? entry.CodeOptions.Clone()
        : _declared.TryGetValue(name, out CircuitBreakerDeclaration? declaration) ? declaration.Options
        : _shared?.KnownCodeOptions(name);

    /// <summary>The keyed group (existing or declared here) whose keys' breakers may be named <paramref name="name"/>, if any.</summary>
    private string? GroupOwning(string name)
    {
        for (int colon = name.IndexOf(':'); colon > 0; colon = name.IndexOf(':', colon + 1))
        {
            string group = name[..colon];
            if (_groups.ContainsKey(group) || _declaredGroups.ContainsKey(group))
            {
                return group;
            }
        }

        return null;
    }

    /// <summary>What the code declares for the keyed group called <paramref name="name"/> (for a scope's registry, in the shared one).</summary>
    private CircuitBreakerOptions? KnownGroupCodeOptions(string name) =>
        _groups.TryGetValue(name, out CircuitBreakerGroup? group) ? group.CodeOptions
        : _declaredGroups.TryGetValue(name, out CircuitBreakerDeclaration? declaration) ? declaration.Options
        : _shared?.KnownGroupCodeOptions(name);

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
    /// Creates every declared breaker and keyed group that does not exist yet, outside the lock (so BreakerAdded is raised as on a first
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

        foreach (string name in _declaredGroups.Keys)
        {
            TryGetGroup(name, out _);
        }

        lock (_configureLock)
        {
            if (_declared.Keys.All(_entries.ContainsKey) && _declaredGroups.Keys.All(_groups.ContainsKey))
            {
                _uncreatedDeclarations = false;
            }
        }
    }

    /// <summary>A breaker, and the options its code gave it (what a new configuration is applied on top of).</summary>
    private sealed record Entry(CircuitBreaker Breaker, CircuitBreakerOptions CodeOptions);
}
