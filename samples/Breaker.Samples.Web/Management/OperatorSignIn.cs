using System.IO;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Breaker.Samples.Web.Management;

/// <summary>
/// <c>GET /sign-in</c>: a form for the operator key; <c>POST /sign-in</c>: checks it and hands out the operator cookie, then
/// goes to the dashboard. (A form posted from another site can only sign the browser in with a key its author knows.)
/// </summary>
internal static class OperatorSignIn
{
    public const string Path = "/sign-in";

    private const string Dashboard = "/circuit-breakers/dashboard";

    // No script and no style: the policy lets the form post to this origin and nothing else.
    private const string ContentSecurityPolicy = "default-src 'none'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    public static void MapOperatorSignIn(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, static context => PageAsync(context, StatusCodes.Status200OK, "Tools send the same key in an X-Api-Key header."));
        endpoints.MapPost(Path, SignInAsync);
    }

    private static async Task SignInAsync(HttpContext context)
    {
        IFormCollection form;
        try
        {
            form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted) : FormCollection.Empty;
        }
        catch (InvalidDataException)
        {
            await PageAsync(context, StatusCodes.Status400BadRequest, "The form could not be read.");
            return;
        }

        string? key = context.RequestServices.GetRequiredService<IOptionsMonitor<ApiKeyOptions>>().Get(ApiKeyAuthenticationHandler.SchemeName).ApiKey;
        if (!OperatorKey.Matches(form["key"], key))
        {
            await PageAsync(context, StatusCodes.Status401Unauthorized, "That is not the operator key.");
            return;
        }

        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, OperatorAccess.Operator(CookieAuthenticationDefaults.AuthenticationScheme));
        context.Response.Redirect(context.Request.PathBase + Dashboard);
    }

    private static Task PageAsync(HttpContext context, int status, string message)
    {
        HttpResponse response = context.Response;
        response.StatusCode = status;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        return response.WriteAsync(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
            "<title>Sign in · circuit breakers</title></head>\n<body>\n<h1>Sign in to change circuit breakers</h1>\n" +
            $"<p role=\"status\">{message}</p>\n" +
            "<form method=\"post\">\n<label>Operator key <input type=\"password\" name=\"key\" autocomplete=\"current-password\" required autofocus></label>\n" +
            "<button type=\"submit\">Sign in</button>\n</form>\n" +
            $"<p><a href=\"{context.Request.PathBase}{Dashboard}\">The dashboard</a></p>\n</body>\n</html>\n",
            context.RequestAborted);
    }
}
