using System;
using Breaker;
using Breaker.Configuration;
using Breaker.DependencyInjection;
using Breaker.Logging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Breaker's circuit breakers with dependency injection.</summary>
public static class CircuitBreakerServiceCollectionExtensions
{
    /// <summary>
    /// Registers the circuit breaker registry that generated code uses (<see cref="CircuitBreakerRegistry.Default"/>, unless a
    /// <see cref="CircuitBreakerRegistry"/> is already registered) and configures its breakers from <paramref name="configuration"/>:
    /// each child section is named after a breaker and holds its <see cref="CircuitBreakerSettings"/>. The configuration
    /// is validated when the host starts, and a reload reconfigures live breakers without resetting their state.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The section holding one child per breaker, e.g. <c>builder.Configuration.GetSection("CircuitBreakers")</c>.</param>
    /// <returns>A builder for further configuration.</returns>
    public static ICircuitBreakerBuilder AddCircuitBreakers(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ICircuitBreakerBuilder builder = services.AddCircuitBreakers();
        services.AddSingleton<IConfigureOptions<CircuitBreakerRegistryOptions>>(new ConfigurationBinding(configuration));
        services.AddSingleton<IOptionsChangeTokenSource<CircuitBreakerRegistryOptions>>(new ConfigurationChangeTokenSource(configuration));
        return builder;
    }

    /// <summary>
    /// Registers the circuit breaker registry that generated code uses (<see cref="CircuitBreakerRegistry.Default"/>, unless a
    /// <see cref="CircuitBreakerRegistry"/> is already registered), the logging of state changes, and the start-up step that
    /// applies <see cref="CircuitBreakerRegistryOptions"/>. Calling it again adds <paramref name="configure"/> and nothing else.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures breakers by name; <see langword="null"/> for none.</param>
    /// <returns>A builder for further configuration.</returns>
    public static ICircuitBreakerBuilder AddCircuitBreakers(this IServiceCollection services, Action<CircuitBreakerRegistryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions();
        services.TryAddSingleton(CircuitBreakerRegistry.Default);
        services.TryAddSingleton(static sp => new CircuitBreakerConfigurator(
            sp.GetRequiredService<CircuitBreakerRegistry>(),
            sp.GetRequiredService<IOptionsMonitor<CircuitBreakerRegistryOptions>>(),
            CreateLogger(sp, "Breaker.Configuration"),
            sp.GetService<TimeProvider>()));
        services.TryAddSingleton(static sp => new CircuitBreakerStateLogger(
            sp.GetRequiredService<CircuitBreakerRegistry>(),
            CreateLogger(sp, "Breaker.CircuitBreaker")));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, CircuitBreakerStartup>());
        if (configure is not null)
        {
            services.Configure(configure);
        }

        return new CircuitBreakerBuilder(services);
    }

    private static ILogger CreateLogger(IServiceProvider services, string category) =>
        (services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger(category);
}
