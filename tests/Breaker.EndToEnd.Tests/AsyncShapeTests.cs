using System;
using System.Threading;
using System.Threading.Tasks;
using Breaker.EndToEnd.Tests.Services;

namespace Breaker.EndToEnd.Tests;

public class AsyncShapeTests
{
    [Fact]
    public async Task A_synchronously_completed_call_returns_the_implementations_task()
    {
        var client = new QuoteClient();

        Task<decimal> task = client.GetFastQuoteAsync("a", CancellationToken.None);

        Assert.True(task.IsCompletedSuccessfully);
        Assert.Equal(10m, await task);
        Assert.Equal(1, TestClock.Metrics("e2e-quotes-fast").SuccessfulCalls);
    }

    [Fact]
    public async Task Async_failures_and_rejections_use_the_fallback()
    {
        var client = new QuoteClient { Failure = new InvalidOperationException("down") };

        Assert.Equal(-1m, await client.GetQuoteAsync("a", CancellationToken.None));
        Assert.IsType<InvalidOperationException>(client.FallbackReceived);
        Assert.Equal(-1m, await client.GetQuoteAsync("a", CancellationToken.None));
        Assert.Equal(CircuitState.Open, TestClock.Breaker("e2e-quotes").State);

        client.Failure = null;
        Assert.Equal(-1m, await client.GetQuoteAsync("a", CancellationToken.None));
        Assert.IsType<BrokenCircuitException>(client.FallbackReceived);

        CircuitBreakerMetrics metrics = TestClock.Metrics("e2e-quotes");
        Assert.Equal(2, metrics.FailedCalls);
        Assert.Equal(1, metrics.RejectedCalls);
        Assert.Equal(3, metrics.FallbackCalls);
    }

    [Fact]
    public async Task Caller_cancellation_propagates_and_is_not_counted_as_a_failure()
    {
        var client = new QuoteClient { Pending = new TaskCompletionSource<decimal>() };
        using var cancellation = new CancellationTokenSource();

        Task<decimal> call = client.GetCancellableQuoteAsync("a", cancellation.Token);
        Assert.False(call.IsCompleted);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        CircuitBreakerMetrics metrics = TestClock.Metrics("e2e-quotes-cancel");
        Assert.Equal(0, metrics.FailedCalls);
        Assert.Equal(1, metrics.IgnoredCalls);
    }

    [Fact]
    public async Task An_async_failure_without_a_fallback_propagates_unchanged()
    {
        var failure = new InvalidOperationException("down");
        var client = new QuoteClient { Pending = new TaskCompletionSource<decimal>() };

        Task<decimal> call = client.GetLiveQuoteAsync("a", CancellationToken.None);
        client.Pending.SetException(failure);

        Assert.Same(failure, await Assert.ThrowsAsync<InvalidOperationException>(() => call));
        Assert.Equal(1, TestClock.Metrics("e2e-quotes-propagate").FailedCalls);
    }

    [Fact]
    public async Task A_timeout_cancels_the_linked_token_and_counts_as_a_timeout_failure()
    {
        var service = new SlowService();
        var kinds = new System.Collections.Generic.List<FailureKind>();
        Task<int> call = service.WithTokenAsync(CancellationToken.None);
        TestClock.Breaker("e2e-timeout-token").CallFailed += (_, e) => kinds.Add(e.Kind);
        Assert.False(call.IsCompleted);

        TestClock.Time.Advance(TimeSpan.FromSeconds(1));

        TimeoutException timeout = await Assert.ThrowsAsync<TimeoutException>(() => call);
        Assert.IsAssignableFrom<OperationCanceledException>(timeout.InnerException);
        Assert.Equal("The call through circuit breaker 'e2e-timeout-token' did not finish within its 1000 ms timeout.", timeout.Message);
        Assert.Equal([FailureKind.Timeout], kinds);
        Assert.Equal(1, TestClock.Metrics("e2e-timeout-token").FailedCalls);
    }

    [Fact]
    public async Task A_timeout_with_a_fallback_returns_the_fallback()
    {
        var service = new SlowService();
        Task<int> call = service.WithTokenAndFallbackAsync(CancellationToken.None);

        TestClock.Time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(-1, await call);
        CircuitBreakerMetrics metrics = TestClock.Metrics("e2e-timeout-token-fallback");
        Assert.Equal(1, metrics.FailedCalls);
        Assert.Equal(1, metrics.FallbackCalls);
    }

    [Fact]
    public async Task Without_a_token_the_wait_stops_at_the_timeout_and_the_work_continues()
    {
        var service = new SlowService();
        ValueTask<int> call = service.WithoutTokenAsync();
        Assert.False(call.IsCompleted);

        TestClock.Time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(call.IsCompleted);
        TestClock.Time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(-1, await call);
        Assert.False(service.Pending.Task.IsCompleted);
        Assert.Equal(1, TestClock.Metrics("e2e-timeout-wait").FailedCalls);
        service.Pending.SetResult(5);
    }

    [Fact]
    public async Task A_timeout_at_the_attributes_limit_runs_and_configuration_past_what_a_token_source_accepts_is_refused()
    {
        var service = new SlowService();
        Task<int> withToken = service.LongestWithTokenAsync(CancellationToken.None);
        ValueTask<int> withoutToken = service.LongestWithoutTokenAsync();

        TestClock.Time.Advance(TimeSpan.FromMilliseconds(int.MaxValue - 1));
        Assert.False(withToken.IsCompleted);
        Assert.False(withoutToken.IsCompleted);
        service.Pending.SetResult(7);

        Assert.Equal(7, await withToken);
        Assert.Equal(7, await withoutToken);
        CircuitBreaker breaker = TestClock.Breaker("e2e-timeout-longest");
        Assert.Equal(TimeSpan.FromMilliseconds(int.MaxValue), breaker.Timeout);
        Assert.Equal(1, breaker.GetMetrics().SuccessfulCalls);

        ArgumentOutOfRangeException refused = Assert.Throws<ArgumentOutOfRangeException>(
            () => CircuitBreakerRegistry.Default.Configure("e2e-timeout-longest", static o => o.Timeout = TimeSpan.FromDays(50)));
        Assert.Equal("Timeout", refused.ParamName);
        Assert.Equal(TimeSpan.FromMilliseconds(int.MaxValue), breaker.Timeout);
        Task<int> after = service.LongestWithTokenAsync(CancellationToken.None);
        Assert.Equal(7, await after);
    }

    [Fact]
    public async Task Configuration_overrides_the_attribute_timeout()
    {
        CircuitBreakerRegistry.Default.Configure("e2e-timeout-token", o => o.Timeout = TimeSpan.Zero);
        try
        {
            var service = new SlowService();
            Task<int> call = service.WithTokenAsync(CancellationToken.None);

            TestClock.Time.Advance(TimeSpan.FromSeconds(5));
            Assert.False(call.IsCompleted);

            service.Pending.SetResult(3);
            Assert.Equal(3, await call);
        }
        finally
        {
            CircuitBreakerRegistry.Default.Configure("e2e-timeout-token", o => o.Timeout = TimeSpan.FromSeconds(1));
        }
    }

    [Fact]
    public async Task Task_and_ValueTask_methods_without_results_are_guarded()
    {
        var mailer = new Mailer();
        await mailer.SendAsync("a@example.com");
        mailer.Fail = true;
        await mailer.SendAsync("a@example.com");

        Assert.Equal(1, mailer.Sent);
        Assert.Equal(1, mailer.Queued);
        Assert.Equal(1, TestClock.Metrics("e2e-mailer").FallbackCalls);

        mailer.Fail = false;
        await mailer.FlushAsync();
        mailer.Fail = true;
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await mailer.FlushAsync());
        CircuitBreakerMetrics metrics = TestClock.Metrics("e2e-mailer-valuetask");
        Assert.Equal(1, metrics.SuccessfulCalls);
        Assert.Equal(1, metrics.FailedCalls);

        Assert.Equal(42, await Outer<int>.Middle<int>.Repository.EchoAsync(42));
        Assert.Equal(1, TestClock.Metrics("e2e-generic-echo").SuccessfulCalls);
    }
}
