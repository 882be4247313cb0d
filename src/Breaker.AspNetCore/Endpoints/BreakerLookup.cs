using System;
using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http;

namespace Breaker.AspNetCore.Endpoints;

/// <summary>Finds the breaker that a request's <c>{name}</c> segment names.</summary>
internal static class BreakerLookup
{
    private const string EscapedSlash = "%2F";

    /// <summary>
    /// The server decodes every escape in a path except <c>%2F</c> (so that an escaped slash cannot split segments): a name
    /// with a <c>/</c> arrives with <c>%2F</c> in it. It is read with <c>/</c> first, then as it came, so <c>eu%2Fpayments</c>
    /// finds <c>eu/payments</c> and a breaker literally called <c>100%2F</c> (sent as <c>100%252F</c>) is still found.
    /// </summary>
    public static bool TryFind(CircuitBreakerRegistry registry, HttpContext context, out string name, [NotNullWhen(true)] out CircuitBreaker? breaker)
    {
        string segment = context.Request.RouteValues["name"] as string ?? string.Empty;
        name = segment.Replace(EscapedSlash, "/", StringComparison.OrdinalIgnoreCase);
        if (registry.TryGet(name, out breaker))
        {
            return true;
        }

        if (!ReferenceEquals(name, segment) && registry.TryGet(segment, out breaker))
        {
            name = segment;
            return true;
        }

        return false;
    }
}
