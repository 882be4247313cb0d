using System.Text.Json.Serialization.Metadata;
using System.Threading.Tasks;
using Breaker.AspNetCore.Contracts;
using Breaker.AspNetCore.Serialization;
using Microsoft.AspNetCore.Http;

namespace Breaker.AspNetCore.Endpoints;

/// <summary>How the monitor's endpoints answer: JSON that is never cached, and problem details for errors.</summary>
internal static class MonitorResponses
{
    private const string ProblemContentType = "application/problem+json";

    public static Task WriteJsonAsync<T>(
        HttpContext context,
        T value,
        JsonTypeInfo<T> typeInfo,
        int statusCode = StatusCodes.Status200OK,
        string? contentType = null)
    {
        context.Response.StatusCode = statusCode;
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsJsonAsync(value, typeInfo, contentType, context.RequestAborted);
    }

    public static Task BreakerNotFoundAsync(HttpContext context, string name) =>
        ProblemAsync(context, StatusCodes.Status404NotFound, "Circuit breaker not found", $"No circuit breaker is named '{name}'.");

    public static Task ProblemAsync(HttpContext context, int statusCode, string title, string detail) => WriteJsonAsync(
        context,
        new MonitorProblem(ProblemType(statusCode), title, statusCode, detail),
        MonitorJsonContext.Default.MonitorProblem,
        statusCode,
        ProblemContentType);

    // The same references ASP.NET Core's own problem details use.
    private static string ProblemType(int statusCode) => statusCode switch
    {
        StatusCodes.Status400BadRequest => "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        StatusCodes.Status403Forbidden => "https://tools.ietf.org/html/rfc9110#section-15.5.4",
        StatusCodes.Status404NotFound => "https://tools.ietf.org/html/rfc9110#section-15.5.5",
        _ => "about:blank",
    };

    public static string RouteName(HttpContext context) => context.Request.RouteValues["name"] as string ?? string.Empty;
}
