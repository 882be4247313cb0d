using System.Text.Json.Serialization.Metadata;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace Breaker.AspNetCore.Endpoints;

/// <summary>How the monitor's endpoints answer: JSON that is never cached, and problem details for errors.</summary>
internal static class MonitorResponses
{
    public static Task WriteJsonAsync<T>(HttpContext context, T value, JsonTypeInfo<T> typeInfo, int statusCode = StatusCodes.Status200OK)
    {
        context.Response.StatusCode = statusCode;
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsJsonAsync(value, typeInfo, contentType: null, context.RequestAborted);
    }

    public static Task BreakerNotFoundAsync(HttpContext context, string name) =>
        ProblemAsync(context, StatusCodes.Status404NotFound, "Circuit breaker not found", $"No circuit breaker is named '{name}'.");

    public static Task ProblemAsync(HttpContext context, int statusCode, string title, string detail) =>
        Results.Problem(detail: detail, statusCode: statusCode, title: title).ExecuteAsync(context);

    public static string RouteName(HttpContext context) => context.Request.RouteValues["name"] as string ?? string.Empty;
}
