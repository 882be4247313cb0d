using System;
using System.Security.Claims;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Breaker.Samples.Web.Management;

/// <summary>
/// Who may change breakers: the operator, proven either by the operator key in <c>X-Api-Key</c> (tools) or by a cookie that
/// <c>/sign-in</c> hands out for the same key (a browser, so the dashboard's buttons work). The cookie is HttpOnly and
/// SameSite=Strict: a page on another site can make the browser send neither it nor, through Breaker's Origin check, a
/// management request.
/// </summary>
internal static class OperatorAccess
{
    public const string Policy = "breaker-admin";
    public const string CookieName = "breaker-operator";

    /// <summary>
    /// Registers both ways in and the policy the management endpoints require. Returns the key generated for this run when
    /// <c>Management:ApiKey</c> is not configured (the caller shows it to the person running the sample), or null.
    /// </summary>
    public static string? AddOperatorAccess(this WebApplicationBuilder builder)
    {
        string? configured = builder.Configuration["Management:ApiKey"];
        string key = string.IsNullOrEmpty(configured) ? OperatorKey.Generate() : configured;

        // Sign-ins last until the app stops: its keys live in memory. A deployment of several instances persists its keys.
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<ApiKeyOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, o => o.ApiKey = key)
            .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);

                // An API answers 401 and 403; a redirect to a sign-in page would look like success to a script.
                o.Events.OnRedirectToLogin = static context => Answer(context.Response, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = static context => Answer(context.Response, StatusCodes.Status403Forbidden);
            });
        builder.Services.AddAuthorization(static o => o.AddPolicy(Policy, static p => p
            .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName, CookieAuthenticationDefaults.AuthenticationScheme)
            .RequireAuthenticatedUser()));
        return key == configured ? null : key;
    }

    public static ClaimsPrincipal Operator(string scheme) => new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "operator")], scheme));

    private static Task Answer(HttpResponse response, int status)
    {
        response.StatusCode = status;
        return Task.CompletedTask;
    }
}
