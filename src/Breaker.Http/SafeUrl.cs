using System;

namespace Breaker;

/// <summary>
/// How Breaker writes a request's URL into anything a person or a tool may read (messages, logs, events, traces, breaker
/// names): scheme, host, port and path only. Query strings and fragments carry API keys and card numbers, user info carries
/// passwords; none of them ever leaves here.
/// </summary>
internal static class SafeUrl
{
    /// <summary>A URL such as <c>https://pricing.example:8443/quotes/42</c>, or for a relative URI its path alone.</summary>
    public static string Describe(Uri? uri)
    {
        if (uri is null)
        {
            return "(no URI)";
        }

        if (uri.IsAbsoluteUri)
        {
            return uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
        }

        string relative = uri.OriginalString;
        int end = relative.IndexOfAny(['?', '#']);
        return end < 0 ? relative : relative[..end];
    }

    /// <summary>The host, with the port when it is not the scheme's default (never the user info), or empty for a relative URI.</summary>
    public static string Authority(Uri? uri) =>
        uri is { IsAbsoluteUri: true } ? uri.GetComponents(UriComponents.HostAndPort, UriFormat.UriEscaped) : string.Empty;
}
