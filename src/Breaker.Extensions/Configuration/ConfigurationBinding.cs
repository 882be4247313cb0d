using System;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Breaker.Configuration;

/// <summary>Binds each child of a configuration section, named after a breaker, into <see cref="CircuitBreakerRegistryOptions.Breakers"/>.</summary>
internal sealed class ConfigurationBinding(IConfiguration section) : IConfigureOptions<CircuitBreakerRegistryOptions>
{
    public void Configure(CircuitBreakerRegistryOptions options)
    {
        foreach (IConfigurationSection child in section.GetChildren())
        {
            var settings = new CircuitBreakerSettings();
            try
            {
                // A misspelt option is an error rather than silently ignored.
                child.Bind(settings, static binder => binder.ErrorOnUnknownConfiguration = true);
            }
            catch (InvalidOperationException ex)
            {
                options.BindingErrors[child.Key] = $"Circuit breaker '{child.Key}': {ex.Message}";
                continue;
            }

            options.Breakers[child.Key] = settings;
        }
    }
}
