using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Breaker.AspNetCore.Contracts;
using Breaker.AspNetCore.Serialization;
using Microsoft.AspNetCore.Http;

namespace Breaker.AspNetCore.Endpoints;

/// <summary>The read-only endpoints: the summary (counts and a page of breakers), one breaker, aggregate metrics and health.</summary>
internal sealed class MonitorEndpoints(CircuitBreakerRegistry registry)
{
    public Task GetSummaryAsync(HttpContext context)
    {
        if (SummaryQuery.Parse(context.Request.Query, out string? problem) is not SummaryQuery query)
        {
            return MonitorResponses.ProblemAsync(context, StatusCodes.Status400BadRequest, "Invalid summary query", problem!);
        }

        var snapshot = RegistrySnapshot.Take(registry);
        IReadOnlyList<BreakerSnapshot> paged = snapshot.Ungrouped;
        BreakerSnapshot? last = null;
        int pagedCount = paged.Count;
        if (query.Group is { } name)
        {
            if (snapshot.FindGroup(name) is not { } group)
            {
                return MonitorResponses.ProblemAsync(context, StatusCodes.Status404NotFound, "Keyed group not found", MonitorResponses.NoSuch("keyed group", name));
            }

            // Its keys, then its shared breaker.
            paged = group.Keys;
            last = group.Shared;
            pagedCount = group.BreakerCount;
        }

        // Only the breakers shown are read in full (metrics with percentiles, options).
        BreakerDetails[] page = Array.ConvertAll(RegistrySnapshot.Page(query, paged, last), static b => BreakerDetails.From(b.Breaker));
        bool more = !query.CountsOnly && (long)query.Offset + page.Length < pagedCount;
        var answer = new MonitorSummary(
            snapshot.Breakers.Count,
            snapshot.AllClosed,
            snapshot.Counts,
            ManagementLocator.FindBasePath(context),
            query.Order == SummaryOrder.Worst ? "worst" : "name",
            query.Offset,
            query.CountsOnly ? 0 : query.Limit,
            page,
            more ? query.NextPage(context.Request) : null,
            query.Group,
            pagedCount,
            snapshot.Groups.Select(GroupDetails.From).ToArray());
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
        // The totals need every breaker's lifetime counts: read in full once, and counted by the state read then.
        var all = new List<CircuitBreakerMetrics>();
        var snapshot = RegistrySnapshot.Take(registry, breaker =>
        {
            CircuitBreakerMetrics metrics = breaker.GetMetrics();
            all.Add(metrics);
            return new BreakerSnapshot(breaker, metrics.State, 0);
        });
        long successful = all.Sum(static m => m.SuccessfulCalls);
        long failed = all.Sum(static m => m.FailedCalls);
        var totals = new MonitorTotals(
            snapshot.Breakers.Count,
            all.Sum(static m => m.TotalCalls),
            successful,
            failed,
            all.Sum(static m => m.RejectedCalls),
            all.Sum(static m => m.IgnoredCalls),
            all.Sum(static m => m.FallbackCalls),
            all.Sum(static m => m.SlowCalls),
            all.Sum(static m => m.CircuitOpens),
            successful + failed == 0 ? 0 : (double)failed / (successful + failed),
            snapshot.Counts,
            snapshot.Rejecting());
        return MonitorResponses.WriteJsonAsync(context, totals, MonitorJsonContext.Default.MonitorTotals);
    }

    public Task GetHealthAsync(HttpContext context)
    {
        var snapshot = RegistrySnapshot.Take(registry);
        StateCounts counts = snapshot.Counts;
        int rejecting = counts.Open + counts.HalfOpen + counts.Isolated;
        MonitorHealthStatus status = rejecting == 0 ? MonitorHealthStatus.Healthy
            : rejecting < snapshot.Breakers.Count ? MonitorHealthStatus.Degraded
            : MonitorHealthStatus.Unhealthy;
        var health = new MonitorHealth(status, snapshot.Breakers.Count, counts, snapshot.Rejecting());
        int statusCode = status == MonitorHealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        return MonitorResponses.WriteJsonAsync(context, health, MonitorJsonContext.Default.MonitorHealth, statusCode);
    }
}
