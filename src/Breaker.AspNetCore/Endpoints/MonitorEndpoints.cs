using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Breaker.AspNetCore.Contracts;
using Breaker.AspNetCore.Serialization;
using Microsoft.AspNetCore.Http;

namespace Breaker.AspNetCore.Endpoints;

/// <summary>The read-only endpoints: the summary, one breaker, aggregate metrics and health.</summary>
internal sealed class MonitorEndpoints(CircuitBreakerRegistry registry)
{
    public Task GetSummaryAsync(HttpContext context)
    {
        CircuitBreakerRegistrySummary summary = registry.GetSummary();
        var breakers = new List<BreakerDetails>(summary.Total);
        foreach (CircuitBreakerMetrics metrics in summary.Breakers)
        {
            if (registry.TryGet(metrics.Name, out CircuitBreaker? breaker))
            {
                breakers.Add(BreakerDetails.From(breaker, metrics));
            }
        }

        var answer = new MonitorSummary(
            summary.Total,
            summary.AllClosed,
            StateCounts.From(summary.CountsByState),
            ManagementLocator.FindBasePath(context),
            breakers);
        return MonitorResponses.WriteJsonAsync(context, answer, MonitorJsonContext.Default.MonitorSummary);
    }

    public Task GetBreakerAsync(HttpContext context)
    {
        return BreakerLookup.TryFind(registry, context, out string name, out CircuitBreaker? breaker)
            ? MonitorResponses.WriteJsonAsync(context, BreakerDetails.From(breaker), MonitorJsonContext.Default.BreakerDetails)
            : MonitorResponses.BreakerNotFoundAsync(context, name);
    }

    public Task GetTotalsAsync(HttpContext context)
    {
        CircuitBreakerRegistrySummary summary = registry.GetSummary();
        IReadOnlyList<CircuitBreakerMetrics> all = summary.Breakers;
        long successful = all.Sum(static m => m.SuccessfulCalls);
        long failed = all.Sum(static m => m.FailedCalls);
        var totals = new MonitorTotals(
            summary.Total,
            all.Sum(static m => m.TotalCalls),
            successful,
            failed,
            all.Sum(static m => m.RejectedCalls),
            all.Sum(static m => m.IgnoredCalls),
            all.Sum(static m => m.FallbackCalls),
            all.Sum(static m => m.SlowCalls),
            all.Sum(static m => m.CircuitOpens),
            successful + failed == 0 ? 0 : (double)failed / (successful + failed),
            StateCounts.From(summary.CountsByState),
            OpenBreakers(all));
        return MonitorResponses.WriteJsonAsync(context, totals, MonitorJsonContext.Default.MonitorTotals);
    }

    public Task GetHealthAsync(HttpContext context)
    {
        CircuitBreakerRegistrySummary summary = registry.GetSummary();
        IReadOnlyDictionary<string, CircuitState> open = OpenBreakers(summary.Breakers);
        MonitorHealthStatus status = open.Count == 0 ? MonitorHealthStatus.Healthy
            : open.Count < summary.Total ? MonitorHealthStatus.Degraded
            : MonitorHealthStatus.Unhealthy;
        var health = new MonitorHealth(status, summary.Total, StateCounts.From(summary.CountsByState), open);
        int statusCode = status == MonitorHealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        return MonitorResponses.WriteJsonAsync(context, health, MonitorJsonContext.Default.MonitorHealth, statusCode);
    }

    // The breakers that reject calls, by name: open, half-open (admits only probes) and isolated.
    private static SortedDictionary<string, CircuitState> OpenBreakers(IEnumerable<CircuitBreakerMetrics> breakers)
    {
        var open = new SortedDictionary<string, CircuitState>(StringComparer.Ordinal);
        foreach (CircuitBreakerMetrics metrics in breakers)
        {
            if (metrics.State is CircuitState.Open or CircuitState.HalfOpen or CircuitState.Isolated)
            {
                open[metrics.Name] = metrics.State;
            }
        }

        return open;
    }
}
