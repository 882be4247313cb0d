using System;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Tasks;
using Breaker.AspNetCore.Contracts;
using Breaker.AspNetCore.Serialization;
using Microsoft.AspNetCore.Http;

namespace Breaker.AspNetCore.Endpoints;

/// <summary>How the monitor's endpoints answer: JSON that is never cached nor sniffed, and problem details for errors.</summary>
internal static class MonitorResponses
{
    private const string ProblemContentType = "application/problem+json";

    // A name is echoed in a 404 so the caller sees what arrived; a 6,000-character one needs no more than its start.
    private const int EchoedNameLength = 200;

    public static Task WriteJsonAsync<T>(
        HttpContext context,
        T value,
        JsonTypeInfo<T> typeInfo,
        int statusCode = StatusCodes.Status200OK,
        string? contentType = null)
    {
        context.Response.StatusCode = statusCode;
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return context.Response.WriteAsJsonAsync(value, typeInfo, contentType, context.RequestAborted);
    }

    public static Task BreakerNotFoundAsync(HttpContext context, string name) => ProblemAsync(
        context,
        StatusCodes.Status404NotFound,
        "Circuit breaker not found",
        NoSuch("circuit breaker", name));

    /// <summary>Says that nothing of <paramref name="kind"/> has <paramref name="name"/>, echoing no more than its start.</summary>
    public static string NoSuch(string kind, string name) =>
        $"No {kind} is named '{(name.Length <= EchoedNameLength ? name : string.Concat(name.AsSpan(0, EchoedNameLength), "…"))}'.";

    /// <summary>For a path under the prefix that no endpoint serves: an empty name, or a name with an unescaped <c>/</c>.</summary>
    public static Task NoSuchEndpointAsync(HttpContext context) => ProblemAsync(
        context,
        StatusCodes.Status404NotFound,
        "No such circuit breaker endpoint",
        "Nothing is served at this path. A breaker's name must not be empty, and a '/' in it must be sent escaped as %2F.");

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
}
