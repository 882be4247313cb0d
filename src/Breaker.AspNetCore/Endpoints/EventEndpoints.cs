using System.Collections.Generic;
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
    public Task GetAllEventsAsync(HttpContext context)
    {
        var events = new List<CircuitBreakerEvent>();
        foreach (CircuitBreaker breaker in registry)
        {
            events.AddRange(breaker.GetRecentEvents());
        }

        return WriteEventsAsync(context, events);
    }

    public Task GetBreakerEventsAsync(HttpContext context) =>
        BreakerLookup.TryFind(registry, context, out string name, out CircuitBreaker? breaker)
            ? WriteEventsAsync(context, [.. breaker.GetRecentEvents()])
            : MonitorResponses.BreakerNotFoundAsync(context, name);

    public Task GetHistoryAsync(HttpContext context) =>
        BreakerLookup.TryFind(registry, context, out string name, out CircuitBreaker? breaker)
            ? MonitorResponses.WriteJsonAsync(
                context,
                new FailureRateHistoryView(breaker.Name, FailureRateHistory.Interval.TotalMilliseconds, history.Read(breaker)),
                MonitorJsonContext.Default.FailureRateHistoryView)
            : MonitorResponses.BreakerNotFoundAsync(context, name);

    private static Task WriteEventsAsync(HttpContext context, List<CircuitBreakerEvent> events)
    {
        if (EventsQuery.Parse(context.Request.Query, out string? problem) is not EventsQuery query)
        {
            return MonitorResponses.ProblemAsync(context, StatusCodes.Status400BadRequest, "Invalid events query", problem!);
        }

        events.Sort(NewestFirst);
        BreakerEventView[] page = events.Skip(query.Offset).Take(query.Limit).Select(BreakerEventView.Of).ToArray();
        bool more = (long)query.Offset + page.Length < events.Count;
        var answer = new MonitorEvents(events.Count, query.Offset, query.Limit, page, more ? query.NextPage(context.Request) : null);
        return MonitorResponses.WriteJsonAsync(context, answer, MonitorJsonContext.Default.MonitorEvents);
    }

    /// <summary>Newest first; one breaker's events of the same instant by their order; then by breaker name.</summary>
    private static int NewestFirst(CircuitBreakerEvent x, CircuitBreakerEvent y)
    {
        int byTime = y.Time.CompareTo(x.Time);
        if (byTime != 0)
        {
            return byTime;
        }

        int byName = string.CompareOrdinal(x.BreakerName, y.BreakerName);
        return byName != 0 ? byName : y.Sequence.CompareTo(x.Sequence);
    }
}
