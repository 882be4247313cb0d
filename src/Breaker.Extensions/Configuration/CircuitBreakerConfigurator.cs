using System;
using System.Collections.Generic;
using System.Linq;
using Breaker.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Breaker.Configuration;

/// <summary>
/// Applies <see cref="CircuitBreakerRegistryOptions"/> to the registry: at start-up, where any invalid breaker stops the
/// application, and on every reload, where an invalid breaker is logged and keeps its previous options. Code registered
/// with <see cref="CircuitBreakerRegistryOptions.Configure"/> that throws counts as that breaker's invalid configuration.
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

        List<Failure> failures = Apply(monitor.CurrentValue);
        if (failures.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(CircuitBreakerRegistryOptions), failures.Select(static f => f.Reason));
        }

        _subscription ??= monitor.OnChange(OnReload);
    }

    public void Dispose() => _subscription?.Dispose();

    /// <summary>Runs on the change token's callback: whatever a breaker's configuration does, nothing escapes from here.</summary>
    private void OnReload(CircuitBreakerRegistryOptions options)
    {
        foreach (Failure failure in Apply(options))
        {
            Log.ConfigurationRejected(logger, failure.Reason, failure.Exception);
        }
    }

    private List<Failure> Apply(CircuitBreakerRegistryOptions options)
    {
        lock (_applyLock)
        {
            var failures = options.BindingErrors.Values.Select(static reason => new Failure(reason, null)).ToList();
            IReadOnlyCollection<string> names = options.Names;
            var configured = new HashSet<string>(names, StringComparer.Ordinal);
            configured.UnionWith(options.BindingErrors.Keys);
            foreach (string name in names)
            {
                if (!options.BindingErrors.ContainsKey(name))
                {
                    TryApply(name, o => options.ApplyTo(name, o), failures);
                }
            }

            // A breaker whose section was removed goes back to what its code says (one that failed keeps what it had).
            foreach (string name in _configured)
            {
                if (!configured.Contains(name) && !TryApply(name, static _ => { }, failures))
                {
                    configured.Add(name);
                }
            }

            _configured = configured;
            return failures;
        }
    }

    /// <summary>
    /// Applies <paramref name="configure"/> to a breaker, or a keyed group and every one of its keys; on failure they keep
    /// their options and the failure is added to <paramref name="failures"/>.
    /// </summary>
    private bool TryApply(string name, Action<CircuitBreakerOptions> configure, List<Failure> failures)
    {
        try
        {
            // A breaker or keyed group that exists or that generated code declared (TryGet and TryGetGroup create it, on
            // the clock set above) is judged with its code's options: Configure validates them, and throws before changing
            // anything. One nobody declared can only be judged with the library defaults: stricter than its code may be,
            // but it fails at start-up, where it is cheap to fix.
            if (!registry.TryGet(name, out _) && !registry.TryGetGroup(name, out _))
            {
                var candidate = new CircuitBreakerOptions();
                configure(candidate);
                candidate.Validate(name);
            }

            registry.Configure(name, configure);
            Log.ConfigurationApplied(logger, name);
            return true;
        }
        catch (ArgumentOutOfRangeException ex)
        {
            // An invalid value: the message names the breaker and the option, which is all there is to say.
            failures.Add(new Failure(ex.Message, null));
            return false;
        }
        catch (Exception ex)
        {
            // The application's own configuration code threw: keep the exception, its stack is the way to the bug.
            failures.Add(new Failure($"Circuit breaker '{name}': its configuration code threw {ex.GetType().Name}: {ex.Message}", ex));
            return false;
        }
    }

    /// <summary>Why a breaker's configuration was rejected, and the exception its configuration code threw, if it threw.</summary>
    private readonly record struct Failure(string Reason, Exception? Exception);
}
