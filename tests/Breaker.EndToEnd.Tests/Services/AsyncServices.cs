using System;
using System.Threading;
using System.Threading.Tasks;

namespace Breaker.EndToEnd.Tests.Services;

/// <summary>Async shapes whose core completes when the test says so.</summary>
public partial class QuoteClient
{
    public TaskCompletionSource<decimal>? Pending { get; set; }

    public Exception? Failure { get; set; }

    public int FallbackCalls { get; private set; }

    public Exception? FallbackReceived { get; private set; }

    [CircuitBreaker("e2e-quotes", Fallback = nameof(CachedQuote), MinimumThroughput = 2, FailureRatio = 0.5)]
    public partial Task<decimal> GetQuoteAsync(string sku, CancellationToken cancellationToken);

    private async Task<decimal> GetQuoteAsyncCore(string sku, CancellationToken cancellationToken)
    {
        if (Failure is not null)
        {
            throw Failure;
        }

        if (Pending is null)
        {
            return 10m;
        }

        await Task.Yield();
        return await Pending.Task.WaitAsync(cancellationToken);
    }

    private decimal CachedQuote(string sku, CancellationToken cancellationToken, Exception? error)
    {
        FallbackCalls++;
        FallbackReceived = error;
        return -1m;
    }

    [CircuitBreaker("e2e-quotes-fast", Fallback = nameof(CachedQuote))]
    public partial Task<decimal> GetFastQuoteAsync(string sku, CancellationToken cancellationToken);

    private Task<decimal> GetFastQuoteAsyncCore(string sku, CancellationToken cancellationToken) => GetQuoteAsyncCore(sku, cancellationToken);

    [CircuitBreaker("e2e-quotes-cancel")]
    public partial Task<decimal> GetCancellableQuoteAsync(string sku, CancellationToken cancellationToken);

    private Task<decimal> GetCancellableQuoteAsyncCore(string sku, CancellationToken cancellationToken) => GetQuoteAsyncCore(sku, cancellationToken);

    [CircuitBreaker("e2e-quotes-propagate")]
    public partial Task<decimal> GetLiveQuoteAsync(string sku, CancellationToken cancellationToken);

    private Task<decimal> GetLiveQuoteAsyncCore(string sku, CancellationToken cancellationToken) => GetQuoteAsyncCore(sku, cancellationToken);
}

public partial class SlowService
{
    public TaskCompletionSource<int> Pending { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [CircuitBreaker("e2e-timeout-token", TimeoutMs = 1_000)]
    public partial Task<int> WithTokenAsync(CancellationToken cancellationToken);

    private async Task<int> WithTokenAsyncCore(CancellationToken cancellationToken) => await Pending.Task.WaitAsync(cancellationToken);

    [CircuitBreaker("e2e-timeout-token-fallback", TimeoutMs = 1_000, Fallback = nameof(TimedOut))]
    public partial Task<int> WithTokenAndFallbackAsync(CancellationToken cancellationToken);

    private async Task<int> WithTokenAndFallbackAsyncCore(CancellationToken cancellationToken) => await Pending.Task.WaitAsync(cancellationToken);

    private static int TimedOut(TimeoutException error) => -1;

    // A timeout without a token to cancel is the case under test: the call is abandoned, which BRK0020 warns users about.
#pragma warning disable BRK0020
    [CircuitBreaker("e2e-timeout-wait", TimeoutMs = 1_000, Fallback = nameof(Late))]
    public partial ValueTask<int> WithoutTokenAsync();
#pragma warning restore BRK0020

    private ValueTask<int> WithoutTokenAsyncCore() => new(Pending.Task);

    private static ValueTask<int> Late(Exception error) => new(error is TimeoutException ? -1 : -2);

    // The longest timeout the attribute can state (TimeoutMs is an int: about 24.8 days), with a token and without one.
    [CircuitBreaker("e2e-timeout-longest", TimeoutMs = int.MaxValue)]
    public partial Task<int> LongestWithTokenAsync(CancellationToken cancellationToken);

    private async Task<int> LongestWithTokenAsyncCore(CancellationToken cancellationToken) => await Pending.Task.WaitAsync(cancellationToken);

#pragma warning disable BRK0020
    [CircuitBreaker("e2e-timeout-longest-wait", TimeoutMs = int.MaxValue)]
    public partial ValueTask<int> LongestWithoutTokenAsync();
#pragma warning restore BRK0020

    private ValueTask<int> LongestWithoutTokenAsyncCore() => new(Pending.Task);
}

public partial class Mailer
{
    public bool Fail { get; set; }

    public int Sent { get; private set; }

    public int Queued { get; private set; }

    [CircuitBreaker("e2e-mailer", Fallback = nameof(QueueAsync))]
    public partial Task SendAsync(string to);

    private async Task SendAsyncCore(string to)
    {
        await Task.Yield();
        if (Fail)
        {
            throw new InvalidOperationException(to);
        }

        Sent++;
    }

    private ValueTask QueueAsync(string to)
    {
        Queued++;
        return default;
    }

    [CircuitBreaker("e2e-mailer-valuetask")]
    public partial ValueTask FlushAsync();

    private ValueTask FlushAsyncCore() => Fail ? ValueTask.FromException(new InvalidOperationException("flush")) : default;
}
