using System;
using System.Collections.Generic;

namespace Breaker;

/// <summary>
/// What the application configures for its breakers, by name: <see cref="Breakers"/> (usually bound from a configuration
/// section) and code registered with <see cref="Configure"/>. Applied to the registry at start-up and on every reload.
/// </summary>
public sealed class CircuitBreakerRegistryOptions
{
    private readonly Dictionary<string, List<Action<CircuitBreakerOptions>>> _actions = new(StringComparer.Ordinal);

    /// <summary>Settings per breaker name (names match exactly, case included). A configuration section fills it.</summary>
    public IDictionary<string, CircuitBreakerSettings> Breakers { get; } = new Dictionary<string, CircuitBreakerSettings>(StringComparer.Ordinal);

    /// <summary>Breaker names whose configuration could not be bound, with the reason; such breakers keep what they had.</summary>
    internal Dictionary<string, string> BindingErrors { get; } = new(StringComparer.Ordinal);

    /// <summary>The names of every breaker these options configure (a read-only collection, the same type on every target framework).</summary>
    public IReadOnlyCollection<string> Names
    {
        get
        {
            var names = new HashSet<string>(Breakers.Keys, StringComparer.Ordinal);
            names.UnionWith(_actions.Keys);
            return names;
        }
    }

    /// <summary>
    /// Adds code that configures the breaker called <paramref name="name"/>, run after its <see cref="Breakers"/> settings;
    /// the place for what configuration cannot express, such as <see cref="CircuitBreakerOptions.ShouldHandle"/>.
    /// </summary>
    /// <param name="name">The breaker's name.</param>
    /// <param name="configure">Changes its options.</param>
    /// <returns>These options, for chaining.</returns>
    public CircuitBreakerRegistryOptions Configure(string name, Action<CircuitBreakerOptions> configure)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        if (!_actions.TryGetValue(name, out List<Action<CircuitBreakerOptions>>? actions))
        {
            actions = [];
            _actions.Add(name, actions);
        }

        actions.Add(configure);
        return this;
    }

    /// <summary>Applies what is configured for <paramref name="name"/>: its settings, then its code.</summary>
    /// <param name="name">The breaker's name.</param>
    /// <param name="options">The options to change.</param>
    public void ApplyTo(string name, CircuitBreakerOptions options)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(options);
        if (Breakers.TryGetValue(name, out CircuitBreakerSettings? settings))
        {
            settings.ApplyTo(options);
        }

        if (_actions.TryGetValue(name, out List<Action<CircuitBreakerOptions>>? actions))
        {
            foreach (Action<CircuitBreakerOptions> action in actions)
            {
                action(options);
            }
        }
    }
}
