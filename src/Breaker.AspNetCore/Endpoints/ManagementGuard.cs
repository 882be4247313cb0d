using System;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Breaker.AspNetCore.Endpoints;

/// <summary>
/// What every management call must pass before it changes a breaker: the application chose who may call it, and a browser
/// did not send it from another origin.
/// </summary>
internal static partial class ManagementGuard
{
    private const string LogCategory = "Breaker.AspNetCore.Management";

    private const string HowToChoose =
        "Chain .RequireAuthorization(\"your-policy\") on MapCircuitBreakerManagement(...) (or on a group around it), or set an " +
        "authorization FallbackPolicy; or chain .AllowAnonymous() to open these endpoints to anyone who can reach them, on purpose.";

    /// <summary>The title of the refusal, at start-up and on a call.</summary>
    public const string NoChoiceTitle = "Circuit breaker management has no authorization choice";

    /// <summary>What the refusal says, at start-up and on a call.</summary>
    public const string NoChoiceDetail =
        "The application mapped the endpoints that change circuit breakers without saying who may call them, so they refuse every call. " + HowToChoose;

    /// <summary>Answers the refusal and returns its task, or returns <see langword="null"/> when the call may go on.</summary>
    public static Task? Refuse(HttpContext context)
    {
        // Checked at start-up too (ManagementStartupCheck); still checked here for endpoints mapped where start-up cannot see them.
        if (!HasAuthorizationChoice(context.GetEndpoint()?.Metadata, context.RequestServices))
        {
            ILogger logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(LogCategory);
            NoAuthorizationChoice(logger, context.Request.Path.Value ?? string.Empty, HowToChoose);
            return MonitorResponses.ProblemAsync(context, StatusCodes.Status500InternalServerError, NoChoiceTitle, NoChoiceDetail);
        }

        if (IsCrossOrigin(context.Request))
        {
            return MonitorResponses.ProblemAsync(
                context,
                StatusCodes.Status403Forbidden,
                "Cross-origin request refused",
                "Circuit breakers can be changed only from the application's own pages or from tools that are not browsers.");
        }

        return null;
    }

    // Any of ASP.NET Core's own ways of saying who may call: [Authorize]-like data, a policy object, requirements, an explicit
    // AllowAnonymous, or a fallback policy for endpoints that say nothing.
    public static bool HasAuthorizationChoice(EndpointMetadataCollection? metadata, IServiceProvider services)
    {
        if (metadata?.GetMetadata<IAllowAnonymous>() is not null
            || metadata?.GetMetadata<IAuthorizeData>() is not null
            || metadata?.GetMetadata<AuthorizationPolicy>() is not null
            || metadata?.GetMetadata<IAuthorizationRequirementData>() is not null)
        {
            return true;
        }

        return services.GetService<IOptions<AuthorizationOptions>>()?.Value.FallbackPolicy is not null;
    }

    // A browser names the page a request comes from in Origin (on every POST) and, in newer browsers, how it relates to the
    // target in Sec-Fetch-Site. Either one saying "another origin" refuses the call; a missing Sec-Fetch-Site (an older
    // browser) does not make a foreign Origin acceptable. Tools such as curl send neither and are judged by authorization alone.
    private static bool IsCrossOrigin(HttpRequest request)
    {
        string? site = request.Headers["Sec-Fetch-Site"];
        if (site is not null && site != "same-origin" && site != "none")
        {
            return true;
        }

        StringValues origins = request.Headers.Origin;
        if (origins.Count == 0)
        {
            return false;
        }

        return origins.Count > 1 || !IsSameOrigin(origins[0], request);
    }

    // "null" (a sandboxed frame, a file), anything with a path, or anything unparsable is not this origin.
    private static bool IsSameOrigin(string? origin, HttpRequest request) =>
        Uri.TryCreate(origin, UriKind.Absolute, out Uri? claimed)
        && claimed.AbsolutePath == "/"
        && !origin.EndsWith('/')
        && claimed.UserInfo.Length == 0
        && Uri.TryCreate($"{request.Scheme}://{request.Host.Value}", UriKind.Absolute, out Uri? own)
        && string.Equals(claimed.Scheme, own.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(claimed.IdnHost, own.IdnHost, StringComparison.OrdinalIgnoreCase)
        && claimed.Port == own.Port;

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Refused a call to {Path}: circuit breaker management was mapped without an authorization choice. {HowToChoose}")]
    private static partial void NoAuthorizationChoice(ILogger logger, string path, string howToChoose);
}
