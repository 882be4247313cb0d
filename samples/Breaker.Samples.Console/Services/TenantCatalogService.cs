using System;
using System.Collections.Generic;

namespace Breaker.Samples.Console.Services;

/// <summary>
/// A catalog served from one backend per tenant, guarded by a keyed breaker: the generator gives every tenant its own
/// breaker (<c>catalog:acme</c>, <c>catalog:globex</c>, ...), so one tenant's failing backend opens only that tenant's
/// circuit.
/// </summary>
internal sealed partial class TenantCatalogService
{
    /// <summary>The tenants whose backend is down.</summary>
    public HashSet<string> Down { get; } = new(StringComparer.Ordinal);

    /// <summary>How many calls reached a backend.</summary>
    public int Received { get; private set; }

    [CircuitBreaker("catalog", Key = nameof(tenant), Fallback = nameof(Unavailable), ConsecutiveFailureThreshold = 3, BreakDurationMs = 30_000, SuccessThreshold = 1)]
    public partial string GetCatalog(string tenant);

    private string GetCatalogCore(string tenant)
    {
        Received++;
        return Down.Contains(tenant) ? throw new TimeoutException($"{tenant}'s database did not answer") : $"{tenant}: 12 products";
    }

    private static string Unavailable(string tenant, Exception error) => error is BrokenCircuitException
        ? $"{tenant}: catalog unavailable (circuit open: its backend was not called)"
        : $"{tenant}: catalog unavailable ({error.Message})";
}
