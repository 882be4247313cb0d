using System;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Breaker.AspNetCore.Endpoints;

/// <summary>
/// Fails the application's start when management endpoints were mapped without an authorization choice, rather than at
/// the first call. It runs while the host builds the request pipeline, after every convention (<c>RequireAuthorization</c>,
/// <c>AllowAnonymous</c>, an enclosing group's) was added, and throws with the message a call would get.
/// </summary>
internal static class ManagementStartupCheck
{
    // Set on the application once the check is in its pipeline, so that several management groups add it once.
    private const string RegisteredKey = "Breaker.AspNetCore.ManagementStartupCheck";

    /// <summary>Adds the check to the pipeline of the application <paramref name="endpoints"/> belongs to, when it can be found.</summary>
    public static void Register(IEndpointRouteBuilder endpoints)
    {
        // Only the application itself leads to its pipeline: a route group does not (then each call is still refused).
        if (endpoints is not IApplicationBuilder application || application.Properties.ContainsKey(RegisteredKey))
        {
            return;
        }

        application.Properties[RegisteredKey] = true;
        IEndpointRouteBuilder root = endpoints;

        // A middleware that returns the next one unchanged: it costs nothing per request, and its factory runs once, while
        // the host builds the pipeline at start-up. An exception there fails the start.
        application.Use(next =>
        {
            Check(root);
            return next;
        });
    }

    private static void Check(IEndpointRouteBuilder root)
    {
        foreach (EndpointDataSource source in root.DataSources)
        {
            foreach (Endpoint endpoint in source.Endpoints)
            {
                if (endpoint.Metadata.GetMetadata<ManagementEndpointMetadata>() is not null
                    && !ManagementGuard.HasAuthorizationChoice(endpoint.Metadata, root.ServiceProvider))
                {
                    throw new InvalidOperationException($"{ManagementGuard.NoChoiceTitle}: {ManagementGuard.NoChoiceDetail}");
                }
            }
        }
    }
}
