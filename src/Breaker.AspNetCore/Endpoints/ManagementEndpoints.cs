using System;
using System.Threading.Tasks;
using Breaker.AspNetCore.Contracts;
using Breaker.AspNetCore.Serialization;
using Microsoft.AspNetCore.Http;

namespace Breaker.AspNetCore.Endpoints;

/// <summary>The state-changing endpoints: reset, isolate, and turn metrics-only mode on or off. Each answers with the breaker's details.</summary>
internal sealed class ManagementEndpoints(CircuitBreakerRegistry registry)
{
    public Task ResetAsync(HttpContext context) => ManagementGuard.Refuse(context) ?? ActAsync(context, static breaker => breaker.Reset());

    public Task IsolateAsync(HttpContext context) => ManagementGuard.Refuse(context) ?? ActAsync(context, static breaker => breaker.Isolate());

    public Task SetMetricsOnlyAsync(HttpContext context)
    {
        if (ManagementGuard.Refuse(context) is Task refusal)
        {
            return refusal;
        }

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
        if (!BreakerLookup.TryFind(registry, context, out string name, out CircuitBreaker? breaker))
        {
            return MonitorResponses.BreakerNotFoundAsync(context, name);
        }

        action(breaker);
        return MonitorResponses.WriteJsonAsync(context, BreakerDetails.From(breaker), MonitorJsonContext.Default.BreakerDetails);
    }
}
