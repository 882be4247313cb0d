using System;
using System.Collections.Generic;
using Breaker;
using Breaker.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the circuit breakers' health check.</summary>
public static class CircuitBreakerHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a health check over every breaker in the registry: Healthy when all are closed (or metrics-only),
    /// <paramref name="failureStatus"/> when any is open, half-open or isolated. Each breaker's state is in the result's data;
    /// a keyed group is one entry, with its keys counted by state and its shared breaker's state.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The health check's name.</param>
    /// <param name="failureStatus">What to report when a breaker is not closed; <see langword="null"/> for <see cref="HealthStatus.Degraded"/>.</param>
    /// <param name="tags">Tags for filtering health checks.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IHealthChecksBuilder AddCircuitBreakers(
        this IHealthChecksBuilder builder,
        string name = "circuit-breakers",
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return builder.Add(new HealthCheckRegistration(
            name,
            static sp => new CircuitBreakerHealthCheck(sp.GetService<CircuitBreakerRegistry>() ?? CircuitBreakerRegistry.Default),
            failureStatus ?? HealthStatus.Degraded,
            tags));
    }
}
