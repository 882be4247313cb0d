using System;
using Breaker;
using Breaker.DependencyInjection;
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
        return Add(builder, RedisConnectionSource.FromConfiguration(configuration), configure);
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
        return Add(builder, RedisConnectionSource.FromConnection(connection), configure);
    }

    /// <summary>Coordinates the breakers through the <see cref="IConnectionMultiplexer"/> registered in the container.</summary>
    /// <param name="builder">The builder <c>AddCircuitBreakers()</c> returned.</param>
    /// <param name="configure">Sets the key prefix (required) and, if needed, which breakers take part and the timings.</param>
    /// <returns>The builder, for chaining.</returns>
    public static ICircuitBreakerBuilder AddRedisCoordination(this ICircuitBreakerBuilder builder, Action<RedisCoordinationOptions> configure) =>
        Add(builder, RedisConnectionSource.FromConnection(null), configure);

    private static ICircuitBreakerBuilder Add(ICircuitBreakerBuilder builder, RedisConnectionSource source, Action<RedisCoordinationOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        IServiceCollection services = builder.Services;
        services.AddOptions<RedisCoordinationOptions>().Configure(configure).ValidateOnStart();
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
