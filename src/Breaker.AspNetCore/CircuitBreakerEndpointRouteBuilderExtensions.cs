using System;
using Breaker.AspNetCore.Dashboard;
using Breaker.AspNetCore.Endpoints;
using Breaker.AspNetCore.History;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Breaker;

/// <summary>
/// Maps the circuit breaker monitor (read-only JSON endpoints and a live dashboard page) and, separately, the endpoints
/// that change breakers, so each set can get its own authorization. Both use the <see cref="CircuitBreakerRegistry"/>
/// registered in dependency injection, or <see cref="CircuitBreakerRegistry.Default"/> when none is.
/// </summary>
public static class CircuitBreakerEndpointRouteBuilderExtensions
{
    /// <summary>The path both sets of endpoints are mapped under unless told otherwise.</summary>
    public const string DefaultPrefix = "/circuit-breakers";

    /// <summary>
    /// Maps the read-only monitor under <paramref name="prefix"/>:
    /// <list type="bullet">
    /// <item><description><c>GET {prefix}</c>: counts by state over every breaker and one page of breakers (state, options, metrics):
    /// <c>order=name|worst</c>, <c>offset</c>, <c>limit</c> (1 to 1,000, default 100), or <c>view=summary</c> for the counts alone;</description></item>
    /// <item><description><c>GET {prefix}/{name}</c>: one breaker, or 404 problem details;</description></item>
    /// <item><description><c>GET {prefix}/metrics</c>: totals over every breaker, the breakers not closed, the overall failure rate;</description></item>
    /// <item><description><c>GET {prefix}/health</c>: Healthy, Degraded, or Unhealthy (503) when every breaker rejects calls;</description></item>
    /// <item><description><c>GET {prefix}/events</c> and <c>GET {prefix}/{name}/events</c>: recent events (state changes with their
    /// reasons, rejections, configuration), newest first, paged by <c>offset</c> and <c>limit</c> (1 to 500, default 50);</description></item>
    /// <item><description><c>GET {prefix}/{name}/history</c>: the breaker's failure rate over the last ten minutes, sampled every two seconds;</description></item>
    /// <item><description><c>GET {prefix}/dashboard</c>: a live HTML page.</description></item>
    /// </list>
    /// The history is sampled on the registry's clock by a timer that stops when the application stops.
    /// </summary>
    /// <param name="endpoints">The application or a route group.</param>
    /// <param name="prefix">The path to map under, such as <c>/circuit-breakers</c>.</param>
    /// <returns>The group of read-only endpoints, to add conventions to (for example <c>RequireAuthorization</c>).</returns>
    public static RouteGroupBuilder MapCircuitBreakerMonitor(this IEndpointRouteBuilder endpoints, string prefix = DefaultPrefix)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        CircuitBreakerRegistry registry = ResolveRegistry(endpoints);
        var monitor = new MonitorEndpoints(registry);
        var history = new FailureRateHistory(registry);
        endpoints.ServiceProvider.GetService<IHostApplicationLifetime>()?.ApplicationStopping.Register(history.Dispose);
        var events = new EventEndpoints(registry, history);
        RouteGroupBuilder routes = endpoints.MapGroup(prefix);
        routes.MapGet(string.Empty, new RequestDelegate(monitor.GetSummaryAsync));
        routes.MapGet("metrics", new RequestDelegate(monitor.GetTotalsAsync));
        routes.MapGet("health", new RequestDelegate(monitor.GetHealthAsync));
        routes.MapGet("events", new RequestDelegate(events.GetAllEventsAsync));
        routes.MapGet("dashboard", new RequestDelegate(static context => DashboardPage.Instance.ServeAsync(context)));
        routes.MapGet("{name}", new RequestDelegate(monitor.GetBreakerAsync));
        routes.MapGet("{name}/events", new RequestDelegate(events.GetBreakerEventsAsync));
        routes.MapGet("{name}/history", new RequestDelegate(events.GetHistoryAsync));
        routes.MapGet("{**path}", new RequestDelegate(MonitorResponses.NoSuchEndpointAsync));

        // From here too: management mapped in a route group of this application is then checked at start-up as well.
        ManagementStartupCheck.Register(endpoints);
        return routes;
    }

    /// <summary>
    /// Maps the endpoints that change breakers under <paramref name="prefix"/>, each answering with the breaker's details
    /// (404 problem details for an unknown name):
    /// <list type="bullet">
    /// <item><description><c>POST {prefix}/{name}/reset</c>: closes the circuit and clears its window;</description></item>
    /// <item><description><c>POST {prefix}/{name}/isolate</c>: holds it open until a reset;</description></item>
    /// <item><description><c>POST {prefix}/{name}/metrics-only?enabled=true|false</c>: turns metrics-only mode on or off.</description></item>
    /// </list>
    /// Say who may call them: chain <c>RequireAuthorization(...)</c> (or put them in a group that requires it, or set an
    /// authorization fallback policy), or chain ASP.NET Core's <c>AllowAnonymous()</c> to open them on purpose. Without a choice
    /// the application fails to start (an <see cref="InvalidOperationException"/> saying how to choose) when they, or the
    /// monitor, are mapped on the application itself; mapped only in a route group, they refuse every call with problem
    /// details saying so. Requests from another origin (by <c>Origin</c> or <c>Sec-Fetch-Site</c>)
    /// are refused. When mapped, the dashboard shows reset and isolate buttons.
    /// </summary>
    /// <param name="endpoints">The application or a route group.</param>
    /// <param name="prefix">The path to map under; the dashboard finds them under any prefix without route parameters.</param>
    /// <returns>The group of management endpoints, to add conventions to (for example <c>RequireAuthorization</c>).</returns>
    public static RouteGroupBuilder MapCircuitBreakerManagement(this IEndpointRouteBuilder endpoints, string prefix = DefaultPrefix)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        var management = new ManagementEndpoints(ResolveRegistry(endpoints));
        RouteGroupBuilder routes = endpoints.MapGroup(prefix);
        routes.MapPost("{name}/reset", new RequestDelegate(management.ResetAsync)).WithMetadata(ManagementEndpointMetadata.Instance);
        routes.MapPost("{name}/isolate", new RequestDelegate(management.IsolateAsync));
        routes.MapPost("{name}/metrics-only", new RequestDelegate(management.SetMetricsOnlyAsync));
        routes.MapPost("{**path}", new RequestDelegate(MonitorResponses.NoSuchEndpointAsync));
        ManagementStartupCheck.Register(endpoints);
        return routes;
    }

    private static CircuitBreakerRegistry ResolveRegistry(IEndpointRouteBuilder endpoints) =>
        endpoints.ServiceProvider.GetService<CircuitBreakerRegistry>() ?? CircuitBreakerRegistry.Default;
}
