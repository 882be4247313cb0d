using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Breaker.Samples.Web.Management;

/// <summary>The operator key that tools such as curl send in the <c>X-Api-Key</c> header.</summary>
internal sealed class ApiKeyOptions : AuthenticationSchemeOptions
{
    /// <summary>The key; when empty, nobody is authenticated.</summary>
    public string? ApiKey { get; set; }
}

/// <summary>Authenticates a request whose <c>X-Api-Key</c> header holds the operator key (compared in constant time).</summary>
internal sealed class ApiKeyAuthenticationHandler(IOptionsMonitor<ApiKeyOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<ApiKeyOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? sent = Request.Headers[HeaderName];
        if (string.IsNullOrEmpty(sent))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!OperatorKey.Matches(sent, Options.ApiKey))
        {
            return Task.FromResult(AuthenticateResult.Fail("Invalid API key."));
        }

        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(OperatorAccess.Operator(SchemeName), SchemeName)));
    }
}
