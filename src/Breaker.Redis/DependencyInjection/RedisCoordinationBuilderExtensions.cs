using System;
using Breaker;
using Breaker.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds fleet-wide coordination of circuit breakers through Redis to <c>AddCircuitBreakers()</c>.</summary>
public static class RedisCoordinationBuilderExtensions
{
    /// <summary>
    /// Coordinates the breakers across every instance of the application through the Redis at <paramref name="configuration"/>
    /// (a StackExchange.Redis connection string). The connection is made in the background when the host starts and closed
    /// when it stops; while Redis is away the breakers act on their own.
    /// </summary>
    /// <param name="builder">The builder <c>AddCircuitBreakers()</c> returned.</param>
    /// <param name="configuration">A connection string such as <c>"redis:6379"</c>.</param>
    /// <param name="configure">Sets the key prefix (required) and, if needed, which breakers take part and the timings.</param>
    /// <returns>The builder, for chaining.</returns>
    public static ICircuitBreakerBuilder AddRedisCoordination(this ICircuitBreakerBuilder builder, string configuration, Action<RedisCoordinationOptions> configure)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        ArgumentNullException.ThrowIfNull(configure);
        return Add(builder, RedisConnectionSource.FromConfiguration(configuration), configure, section: null);
    }

    /// <summary>
    /// Like <see cref="AddRedisCoordination(ICircuitBreakerBuilder, string, Action{RedisCoordinationOptions})"/>, with the
    /// options bound from <paramref name="section"/> (for example <c>configuration.GetSection("BreakerFleet")</c>: <c>KeyPrefix</c>,
    /// <c>Breakers</c>, <c>PublishInterval</c>, <c>SigningKey</c>...). A misspelt or invalid setting fails the host's start, naming it.
    /// </summary>
    /// <param name="builder">The builder <c>AddCircuitBreakers()</c> returned.</param>
    /// <param name="configuration">A connection string such as <c>"redis:6379"</c>.</param>
    /// <param name="section">The configuration section holding the options; it overrides what <paramref name="configure"/> sets.</param>
    /// <param name="configure">Defaults in code, if any.</param>
    /// <returns>The builder, for chaining.</returns>
    public static ICircuitBreakerBuilder AddRedisCoordination(
        this ICircuitBreakerBuilder builder,
        string configuration,
        IConfiguration section,
        Action<RedisCoordinationOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        ArgumentNullException.ThrowIfNull(section);
        return Add(builder, RedisConnectionSource.FromConfiguration(configuration), configure, section);
    }

    /// <summary>
    /// Coordinates the breakers across every instance of the application through <paramref name="connection"/>, which the
    /// application owns (it stays open when the host stops).
    /// </summary>
    /// <param name="builder">The builder <c>AddCircuitBreakers()</c> returned.</param>
    /// <param name="connection">An open connection, best made with <c>AbortOnConnectFail=false</c>.</param>
    /// <param name="configure">Sets the key prefix (required) and, if needed, which breakers take part and the timings.</param>
    /// <returns>The builder, for chaining.</returns>
    public static ICircuitBreakerBuilder AddRedisCoordination(this ICircuitBreakerBuilder builder, IConnectionMultiplexer connection, Action<RedisCoordinationOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(configure);
        return Add(builder, RedisConnectionSource.FromConnection(connection), configure, section: null);
    }

    /// <summary>Coordinates the breakers through the <see cref="IConnectionMultiplexer"/> registered in the container.</summary>
    /// <param name="builder">The builder <c>AddCircuitBreakers()</c> returned.</param>
    /// <param name="configure">Sets the key prefix (required) and, if needed, which breakers take part and the timings.</param>
    /// <returns>The builder, for chaining.</returns>
    public static ICircuitBreakerBuilder AddRedisCoordination(this ICircuitBreakerBuilder builder, Action<RedisCoordinationOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return Add(builder, RedisConnectionSource.FromConnection(null), configure, section: null);
    }

    /// <summary>
    /// Coordinates the breakers through the <see cref="IConnectionMultiplexer"/> registered in the container, with the
    /// options bound from <paramref name="section"/>.
    /// </summary>
    /// <param name="builder">The builder <c>AddCircuitBreakers()</c> returned.</param>
    /// <param name="section">The configuration section holding the options; it overrides what <paramref name="configure"/> sets.</param>
    /// <param name="configure">Defaults in code, if any.</param>
    /// <returns>The builder, for chaining.</returns>
    public static ICircuitBreakerBuilder AddRedisCoordination(this ICircuitBreakerBuilder builder, IConfiguration section, Action<RedisCoordinationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(section);
        return Add(builder, RedisConnectionSource.FromConnection(null), configure, section);
    }

    private static ICircuitBreakerBuilder Add(
        ICircuitBreakerBuilder builder,
        RedisConnectionSource source,
        Action<RedisCoordinationOptions>? configure,
        IConfiguration? section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        IServiceCollection services = builder.Services;
        OptionsBuilder<RedisCoordinationOptions> options = services.AddOptions<RedisCoordinationOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (section is not null)
        {
            services.AddSingleton<IConfigureOptions<RedisCoordinationOptions>>(new RedisCoordinationBinding(section));
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisCoordinationOptions>, RedisCoordinationOptionsValidator>());
        services.AddSingleton<IHostedService>(sp => new RedisCoordinationService(
            sp,
            sp.GetRequiredService<CircuitBreakerRegistry>(),
            source,
            sp.GetRequiredService<IOptions<RedisCoordinationOptions>>(),
            (sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger<RedisFleetCoordinator>()));
        return builder;
    }
}
