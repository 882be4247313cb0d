using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Breaker.HealthChecks;

/// <summary>
/// Healthy while every breaker lets calls through; the registration's failure status (Degraded by default) otherwise. A
/// keyed group is reported as one entry, with its keys counted by state: however many keys it holds, the report stays as
/// long as the list of breakers and groups the code declares.
/// </summary>
internal sealed class CircuitBreakerHealthCheck(CircuitBreakerRegistry registry) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>();
        var notClosed = new List<string>();
        CircuitBreakerGroup[] groups = registry.Groups.OrderBy(static g => g.Name, System.StringComparer.Ordinal).ToArray();
        var grouped = new HashSet<string>(groups.Select(static g => g.Name), System.StringComparer.Ordinal);
        foreach (CircuitBreaker breaker in registry.Where(b => b.Group is null || !grouped.Contains(b.Group)).OrderBy(static b => b.Name, System.StringComparer.Ordinal))
        {
            CircuitState state = breaker.State;
            data[breaker.Name] = state.ToString();
            if (Rejects(state))
            {
                notClosed.Add($"{breaker.Name} ({state})");
            }
        }

        foreach (CircuitBreakerGroup group in groups)
        {
            IReadOnlyList<CircuitBreaker> keys = group.GetBreakers();
            var states = keys.CountBy(static b => b.State).OrderBy(static s => s.Key).ToList();
            CircuitState? shared = group.SharedBreaker?.State;
            int maxKeys = group.Options.MaxKeys;
            data[group.Name] = string.Create(CultureInfo.InvariantCulture, $"{keys.Count:N0} of {maxKeys:N0} keys")
                + (states.Count == 0 ? string.Empty : ": " + string.Join(", ", states.Select(static s => string.Create(CultureInfo.InvariantCulture, $"{s.Value:N0} {s.Key}"))))
                + (shared is null ? string.Empty : $"; shared breaker {shared}");
            int rejecting = states.Where(static s => Rejects(s.Key)).Sum(static s => s.Value);
            if (rejecting > 0 || shared is { } sharedState && Rejects(sharedState))
            {
                notClosed.Add(string.Create(CultureInfo.InvariantCulture, $"{group.Name} ({rejecting:N0} of {keys.Count:N0} keys not closed")
                    + (shared is { } s && Rejects(s) ? $", shared breaker {s})" : ")"));
            }
        }

        string what = groups.Length == 0 ? "circuit breakers" : "circuit breakers and keyed groups";
        HealthCheckResult result = notClosed.Count == 0
            ? HealthCheckResult.Healthy($"All {data.Count} {what} are closed.", data)
            : new HealthCheckResult(
                context.Registration.FailureStatus,
                $"{notClosed.Count} of {data.Count} {what} are not closed: {string.Join(", ", notClosed)}.",
                data: data);
        return Task.FromResult(result);
    }

    private static bool Rejects(CircuitState state) => state is CircuitState.Open or CircuitState.HalfOpen or CircuitState.Isolated;
}
