using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using System.Threading.Tasks;
using Breaker.AspNetCore.Contracts;
using Breaker.AspNetCore.History;
using Breaker.AspNetCore.Serialization;
using Microsoft.AspNetCore.Http;

namespace Breaker.AspNetCore.Endpoints;

/// <summary>
/// The read-only endpoints about the past: recent events (every breaker's merged, or one breaker's), and one breaker's
/// failure-rate history. Each breaker keeps at most 33 events, so an answer is bounded by the registry's size and a page.
/// </summary>
internal sealed class EventEndpoints(CircuitBreakerRegistry registry, FailureRateHistory history)
{
    /// <summary>The merged feed: the query is read first, so a bad one costs a 400 and nothing else.</summary>
    public Task GetAllEventsAsync(HttpContext context)
    {
        if (!TryParse(context, out EventsQuery? query, out Task? refused))
        {
            return refused;
        }

        List<CircuitBreakerEvent> page = EventMerge.Page(registry, query.Offset, query.Limit, out int total);
        return WritePageAsync(context, query, page, total);
    }

    public Task GetBreakerEventsAsync(HttpContext context)
    {
        if (!BreakerLookup.TryFind(registry, context, out string name, out CircuitBreaker? breaker))
        {
            return MonitorResponses.BreakerNotFoundAsync(context, name);
        }

        if (!TryParse(context, out EventsQuery? query, out Task? refused))
        {
            return refused;
        }

        List<CircuitBreakerEvent> events = [.. breaker.GetRecentEvents()];
        events.Sort(EventMerge.NewestFirst);
        return WritePageAsync(context, query, events.Skip(query.Offset).Take(query.Limit).ToList(), events.Count);
    }

    public Task GetHistoryAsync(HttpContext context)
    {
        if (!BreakerLookup.TryFind(registry, context, out string name, out CircuitBreaker? breaker))
        {
            return MonitorResponses.BreakerNotFoundAsync(context, name);
        }

        IReadOnlyList<FailureRateSample> samples = history.Read(breaker, out string? group);
        return MonitorResponses.WriteJsonAsync(
            context,
            new FailureRateHistoryView(breaker.Name, FailureRateHistory.Interval.TotalMilliseconds, samples, group),
            MonitorJsonContext.Default.FailureRateHistoryView);
    }

    private static bool TryParse(HttpContext context, [NotNullWhen(true)] out EventsQuery? query, [NotNullWhen(false)] out Task? refused)
    {
        query = EventsQuery.Parse(context.Request.Query, out string? problem);
        refused = query is null
            ? MonitorResponses.ProblemAsync(context, StatusCodes.Status400BadRequest, "Invalid events query", problem!)
            : null;
        return query is not null;
    }

    private static Task WritePageAsync(HttpContext context, EventsQuery query, List<CircuitBreakerEvent> page, int total)
    {
        bool more = (long)query.Offset + page.Count < total;
        var answer = new MonitorEvents(total, query.Offset, query.Limit, page.ConvertAll(BreakerEventView.Of), more ? query.NextPage(context.Request) : null);
        return MonitorResponses.WriteJsonAsync(context, answer, MonitorJsonContext.Default.MonitorEvents);
    }
}
