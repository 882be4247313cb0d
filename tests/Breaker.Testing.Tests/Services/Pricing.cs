using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Breaker.Testing.Tests.Services;

/// <summary>A pricing API "owned by another team".</summary>
public interface IPricing
{
    decimal Price(string sku);

    IAsyncEnumerable<decimal> HistoryAsync(string sku, CancellationToken cancellationToken);
}

/// <summary>The implementation the decorator wraps; it fails while <see cref="Down"/> and counts the calls it gets.</summary>
public sealed class PricingBackend : IPricing
{
    public bool Down { get; set; }

    public int Calls { get; private set; }

    public decimal Price(string sku)
    {
        Calls++;
        return Down ? throw new InvalidOperationException("pricing is down") : sku.Length;
    }

    public async IAsyncEnumerable<decimal> HistoryAsync(string sku, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Calls++;
        await Task.Yield();
        if (Down)
        {
            throw new InvalidOperationException("pricing is down");
        }

        yield return sku.Length;
    }
}

/// <summary>A generated decorator, one breaker per method: <c>testing-pricing.Price</c> and <c>testing-pricing.HistoryAsync</c>.</summary>
[CircuitBreaker("testing-pricing", PerMethod = true, ConsecutiveFailureThreshold = 2, BreakDurationMs = 30_000)]
public sealed partial class PricingBreaker : IPricing;
