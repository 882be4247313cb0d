using System;
using System.Threading.Tasks;
using Breaker.AspNetCore.Contracts;
using Breaker.AspNetCore.Serialization;
using Microsoft.AspNetCore.Http;

namespace Breaker.AspNetCore.Endpoints;

/// <summary>The state-changing endpoints: reset, isolate, and turn metrics-only mode on or off. Each answers with the breaker's details.</summary>
internal sealed class ManagementEndpoints(CircuitBreakerRegistry registry)
{
    public Task ResetAsync(HttpContext context) => ActAsync(context, static breaker => breaker.Reset());

    public Task IsolateAsync(HttpContext context) => ActAsync(context, static breaker => breaker.Isolate());

    public Task SetMetricsOnlyAsync(HttpContext context)
    {
        if (!bool.TryParse(context.Request.Query["enabled"], out bool enabled))
        {
            return MonitorResponses.ProblemAsync(
                context,
                StatusCodes.Status400BadRequest,
                "Missing or invalid 'enabled'",
                "Say whether metrics-only mode starts or ends with the query parameter 'enabled=true' or 'enabled=false'.");
        }

        return ActAsync(context, breaker => breaker.SetMetricsOnly(enabled));
    }

    private Task ActAsync(HttpContext context, Action<CircuitBreaker> action)
    {
        if (IsCrossSite(context.Request))
        {
            return MonitorResponses.ProblemAsync(
                context,
                StatusCodes.Status403Forbidden,
                "Cross-site request refused",
                "Circuit breakers can be changed only from the application's own pages or from tools that are not browsers.");
        }

        string name = MonitorResponses.RouteName(context);
        if (!registry.TryGet(name, out CircuitBreaker? breaker))
        {
            return MonitorResponses.BreakerNotFoundAsync(context, name);
        }

        action(breaker);
        return MonitorResponses.WriteJsonAsync(context, BreakerDetails.From(breaker), MonitorJsonContext.Default.BreakerDetails);
    }

    // Browsers say where a request comes from; a page on another site must not be able to reset a breaker
    // with the user's cookies (tools such as curl send no such header and are judged by authorization alone).
    private static bool IsCrossSite(HttpRequest request)
    {
        string? site = request.Headers["Sec-Fetch-Site"];
        return site is not null && site != "same-origin" && site != "none";
    }
}
