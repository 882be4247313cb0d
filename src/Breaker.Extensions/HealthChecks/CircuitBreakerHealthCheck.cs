using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Breaker.HealthChecks;

/// <summary>Healthy while every breaker lets calls through; the registration's failure status (Degraded by default) otherwise.</summary>
internal sealed class CircuitBreakerHealthCheck(CircuitBreakerRegistry registry) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>();
        var notClosed = new List<string>();
        foreach (CircuitBreaker breaker in registry.OrderBy(static b => b.Name, System.StringComparer.Ordinal))
        {
            CircuitState state = breaker.State;
            data[breaker.Name] = state.ToString();
            if (state is CircuitState.Open or CircuitState.HalfOpen or CircuitState.Isolated)
            {
                notClosed.Add($"{breaker.Name} ({state})");
            }
        }

        HealthCheckResult result = notClosed.Count == 0
            ? HealthCheckResult.Healthy($"All {data.Count} circuit breakers are closed.", data)
            : new HealthCheckResult(
                context.Registration.FailureStatus,
                $"{notClosed.Count} of {data.Count} circuit breakers are not closed: {string.Join(", ", notClosed)}.",
                data: data);
        return Task.FromResult(result);
    }
}
