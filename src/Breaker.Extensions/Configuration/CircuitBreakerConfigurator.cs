using System;
using System.Collections.Generic;
using Breaker.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Breaker.Configuration;

/// <summary>
/// Applies <see cref="CircuitBreakerRegistryOptions"/> to the registry: at start-up, where any invalid breaker stops the
/// application, and on every reload, where an invalid breaker is logged and keeps its previous options.
/// </summary>
internal sealed class CircuitBreakerConfigurator(
    CircuitBreakerRegistry registry,
    IOptionsMonitor<CircuitBreakerRegistryOptions> monitor,
    ILogger logger,
    TimeProvider? timeProvider) : IDisposable
{
    private readonly object _applyLock = new();
    private HashSet<string> _configured = new(StringComparer.Ordinal);
    private IDisposable? _subscription;

    /// <summary>Applies the current options and follows their reloads.</summary>
    /// <exception cref="OptionsValidationException">A breaker's configuration is invalid; each failure names the breaker and the option.</exception>
    public void Start()
    {
        if (timeProvider is not null)
        {
            registry.TimeProvider = timeProvider;
        }

        List<string> failures = Apply(monitor.CurrentValue);
        if (failures.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(CircuitBreakerRegistryOptions), failures);
        }

        _subscription ??= monitor.OnChange(OnReload);
    }

    public void Dispose() => _subscription?.Dispose();

    private void OnReload(CircuitBreakerRegistryOptions options)
    {
        foreach (string failure in Apply(options))
        {
            Log.ConfigurationRejected(logger, failure);
        }
    }

    private List<string> Apply(CircuitBreakerRegistryOptions options)
    {
        lock (_applyLock)
        {
            var failures = new List<string>(options.BindingErrors.Values);
            IReadOnlySet<string> names = options.Names;
            var configured = new HashSet<string>(names, StringComparer.Ordinal);
            configured.UnionWith(options.BindingErrors.Keys);
            foreach (string name in names)
            {
                if (!options.BindingErrors.ContainsKey(name))
                {
                    TryApply(name, o => options.ApplyTo(name, o), names, failures);
                }
            }

            // A breaker whose section was removed goes back to what its code says (one that failed keeps what it had).
            foreach (string name in _configured)
            {
                if (!configured.Contains(name) && !TryApply(name, static _ => { }, names, failures))
                {
                    configured.Add(name);
                }
            }

            _configured = configured;
            return failures;
        }
    }

    private bool TryApply(string name, Action<CircuitBreakerOptions> configure, IReadOnlySet<string> names, List<string> failures)
    {
        try
        {
            var candidate = new CircuitBreakerOptions();
            configure(candidate);
            candidate.Validate(name);
            registry.Configure(name, configure);

            // Per-host breakers ("name:host") follow their base breaker's configuration unless configured themselves.
            string prefix = name + ":";
            foreach (CircuitBreaker breaker in registry)
            {
                if (breaker.Name.StartsWith(prefix, StringComparison.Ordinal) && !names.Contains(breaker.Name))
                {
                    registry.Configure(breaker.Name, configure);
                }
            }

            Log.ConfigurationApplied(logger, name);
            return true;
        }
        catch (ArgumentOutOfRangeException ex)
        {
            failures.Add(ex.Message);
            return false;
        }
    }
}
