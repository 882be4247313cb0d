using System;
using System.Collections.Generic;
using Breaker.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the fleet coordination's health check.</summary>
public static class RedisCoordinationHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a health check that is Healthy while this instance coordinates its circuit breakers through Redis, and
    /// <paramref name="failureStatus"/> while it acts on its own (Redis out of reach, coordination not started). It reads
    /// what the coordinator last saw and sends nothing to Redis.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The health check's name.</param>
    /// <param name="failureStatus">What to report while acting locally; <see langword="null"/> for <see cref="HealthStatus.Degraded"/>.</param>
    /// <param name="tags">Tags for filtering health checks.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IHealthChecksBuilder AddRedisCoordination(
        this IHealthChecksBuilder builder,
        string name = "circuit-breaker-fleet",
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return builder.Add(new HealthCheckRegistration(
            name,
            static sp => new RedisCoordinationHealthCheck(sp.GetServices<IHostedService>()),
            failureStatus ?? HealthStatus.Degraded,
            tags));
    }
}
