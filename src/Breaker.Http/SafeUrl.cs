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

    /// <summary>
    /// One name per host: the host in lower case without the trailing dot of a fully qualified name (<c>pay.example.</c>
    /// is <c>pay.example</c>), with the port when it is not the scheme's default (never the user info), or empty for a
    /// relative URI.
    /// </summary>
    public static string Authority(Uri? uri)
    {
        if (uri is not { IsAbsoluteUri: true })
        {
            return string.Empty;
        }

        // UriComponents.Port leaves out the scheme's default port (HostAndPort would write it).
        string host = uri.GetComponents(UriComponents.Host, UriFormat.UriEscaped);
        if (host.Length > 1 && host[^1] == '.')
        {
            host = host[..^1];
        }

        return uri.IsDefaultPort ? host : host + ":" + uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
