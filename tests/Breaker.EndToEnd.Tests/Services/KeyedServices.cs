using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Breaker.EndToEnd.Tests.Services;

public sealed record Quota(string Tenant, int Remaining);

public enum Region
{
    Europe,
    Asia,
}

/// <summary>One breaker per tenant: a tenant whose backend fails opens only its own.</summary>
public partial class TenantQuotas
{
    /// <summary>Tenants whose backend is down.</summary>
    public HashSet<string> Failing { get; } = new(StringComparer.Ordinal);

    public int BackendCalls { get; private set; }

    [CircuitBreaker("e2e-tenants", Key = nameof(tenantId), Fallback = nameof(Unknown), ConsecutiveFailureThreshold = 2, BreakDurationMs = 30_000)]
    public partial Quota GetQuota(string tenantId);

    private Quota GetQuotaCore(string tenantId)
    {
        BackendCalls++;
        return Failing.Contains(tenantId) ? throw new InvalidOperationException(tenantId + " is down") : new Quota(tenantId, 10);
    }

    private static Quota Unknown(string tenantId, Exception error) => new(tenantId, -1);

    [CircuitBreaker("e2e-tenant-pings", Key = nameof(tenantId))]
    public partial int Ping(string tenantId);

    private int PingCore(string tenantId) => tenantId.Length;
}

/// <summary>An async breaker per region, with a timeout; a call without a region uses the group's shared breaker.</summary>
public partial class RegionalCounter
{
    public TaskCompletionSource<int>? Pending { get; set; }

    [CircuitBreaker("e2e-regions", Key = nameof(region), TimeoutMs = 1_000, ConsecutiveFailureThreshold = 1)]
    public partial Task<int> CountAsync(Region? region, CancellationToken cancellationToken);

    private Task<int> CountAsyncCore(Region? region, CancellationToken cancellationToken) =>
        Pending?.Task.WaitAsync(cancellationToken) ?? Task.FromResult((int?)region ?? -1);
}
