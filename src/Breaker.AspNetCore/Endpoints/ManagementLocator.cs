using System.Collections.Generic;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace Breaker.AspNetCore.Endpoints;

/// <summary>Finds where the management endpoints are mapped, if they are, by looking at the application's endpoints.</summary>
internal static class ManagementLocator
{
    // The reset endpoint's pattern is "{base}/{name}/reset": the base is everything before the last two segments.
    private const int TrailingSegments = 2;

    /// <summary>The path (with the request's path base) the management endpoints live under, or <see langword="null"/>.</summary>
    public static string? FindBasePath(HttpContext context)
    {
        EndpointDataSource? endpoints = context.RequestServices.GetService<EndpointDataSource>();
        if (endpoints is null)
        {
            return null;
        }

        foreach (Endpoint endpoint in endpoints.Endpoints)
        {
            if (endpoint is RouteEndpoint route
                && endpoint.Metadata.GetMetadata<ManagementEndpointMetadata>() is not null
                && LiteralBase(route.RoutePattern) is string basePath)
            {
                return context.Request.PathBase.Add(new PathString(basePath)).Value;
            }
        }

        return null;
    }

    // A base with a route parameter in it (a group such as "/tenants/{id}") cannot be addressed without its value.
    private static string? LiteralBase(RoutePattern pattern)
    {
        IReadOnlyList<RoutePatternPathSegment> segments = pattern.PathSegments;
        var path = new StringBuilder();
        for (int i = 0; i < segments.Count - TrailingSegments; i++)
        {
            if (!segments[i].IsSimple || segments[i].Parts[0] is not RoutePatternLiteralPart literal)
            {
                return null;
            }

            path.Append('/').Append(literal.Content);
        }

        return path.Length == 0 ? string.Empty : path.ToString();
    }
}
