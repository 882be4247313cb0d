using System;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Breaker.DependencyInjection;

/// <summary>
/// Binds <see cref="RedisCoordinationOptions"/> from a configuration section with the configuration binder's source
/// generator (no reflection, NativeAOT-safe). A misspelt or malformed setting is not thrown here but kept, so that the
/// validation at start reports it with the section's path and the setting's name.
/// </summary>
internal sealed class RedisCoordinationBinding(IConfiguration section) : IConfigureOptions<RedisCoordinationOptions>
{
    public void Configure(RedisCoordinationOptions options)
    {
        try
        {
            section.Bind(options, static binder => binder.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException ex)
        {
            string where = section is IConfigurationSection named ? $" '{named.Path}'" : string.Empty;
            options.ConfigurationError = $"Redis coordination configuration{where}: {ex.Message}";
        }
    }
}
