using System;
using System.Threading;
using System.Threading.Tasks;

namespace Breaker.Testing.Tests.Services;

/// <summary>A guarded service whose dependency the test turns off and on; each method has its own breaker name.</summary>
public sealed partial class Inventory
{
    private readonly TaskCompletionSource<int> _neverAnswers = new();

    /// <summary>When true, the dependency throws.</summary>
    public bool Down { get; set; }

    /// <summary>Calls that reached the dependency.</summary>
    public int Calls { get; private set; }

    [CircuitBreaker("testing-stock", Fallback = nameof(Unknown), MinimumThroughput = 2, FailureRatio = 0.5, BreakDurationMs = 30_000, SuccessThreshold = 1)]
    public partial int Stock(string sku);

    [CircuitBreaker("testing-reserve", MinimumThroughput = 2, FailureRatio = 0.5, BreakDurationMs = 30_000)]
    public partial void Reserve(string sku);

    [CircuitBreaker("testing-count", TimeoutMs = 2_000, Fallback = nameof(CountFallback), MinimumThroughput = 2)]
    public partial Task<int> CountAsync(string sku, CancellationToken cancellationToken);

    private int StockCore(string sku)
    {
        Calls++;
        return Down ? throw new InvalidOperationException("inventory is down") : sku.Length;
    }

    private void ReserveCore(string sku)
    {
        Calls++;
        if (Down)
        {
            throw new InvalidOperationException("inventory is down");
        }
    }

    private Task<int> CountAsyncCore(string sku, CancellationToken cancellationToken)
    {
        Calls++;
        return _neverAnswers.Task.WaitAsync(cancellationToken);
    }

    private static int Unknown() => -1;

    private static int CountFallback(string sku, CancellationToken cancellationToken, Exception error) => error is TimeoutException ? -2 : -3;
}
