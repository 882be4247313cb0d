using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Runtime.Tests;

public sealed class ExecuteTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Execute_with_state_returns_the_result_and_records_a_success()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);

        int result = breaker.Execute(static s => s * 2, 21);
        breaker.Execute(static s => s.Value++, new StrongBox(1));
        string text = breaker.Execute(static () => "ok");
        int runs = 0;
        breaker.Execute(() => runs++);

        Assert.Equal(42, result);
        Assert.Equal("ok", text);
        Assert.Equal(1, runs);
        Assert.Equal(4, breaker.GetMetrics().SuccessfulCalls);
    }

    [Fact]
    public void Execute_records_a_failure_and_rethrows_the_original_exception()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);
        var error = new InvalidOperationException("down");
        FailureKind? kind = null;
        breaker.CallFailed += (_, e) => kind = e.Kind;

        InvalidOperationException thrown = Assert.Throws<InvalidOperationException>(() => breaker.Execute(static e => { throw e; }, error));

        Assert.Same(error, thrown);
        Assert.Equal(FailureKind.Exception, kind);
        Assert.Equal(1, breaker.GetMetrics().FailedCalls);
    }

    [Fact]
    public void Execute_rejects_with_BrokenCircuitException_without_running_the_action()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);
        breaker.Trip();
        _time.Advance(TimeSpan.FromSeconds(10));
        int runs = 0;

        BrokenCircuitException error = Assert.Throws<BrokenCircuitException>(() => breaker.Execute(() => runs++));

        Assert.Equal(0, runs);
        Assert.Equal(breaker.Name, error.CircuitName);
        Assert.Equal(CircuitState.Open, error.State);
        Assert.Equal(TimeSpan.FromSeconds(20), error.RetryAfter);
        Assert.Equal(1, breaker.GetMetrics().RejectedCalls);
    }

    [Fact]
    public void An_exception_ShouldHandle_declines_propagates_and_counts_as_a_success()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o => o.ShouldHandle = static e => e is not ArgumentException);

        Assert.Throws<ArgumentException>(() => breaker.Execute(static () => throw new ArgumentException("caller bug")));
        Assert.Throws<InvalidOperationException>(() => breaker.Execute(static () => throw new InvalidOperationException()));

        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        Assert.Equal(1, metrics.SuccessfulCalls);
        Assert.Equal(1, metrics.FailedCalls);
    }

    [Fact]
    public void Execute_throws_for_a_null_action()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);

        Assert.Throws<ArgumentNullException>(() => breaker.Execute<int, int>(null!, 1));
        Assert.Throws<ArgumentNullException>(() => breaker.Execute((Action)null!));
        Assert.Throws<ArgumentNullException>(() => breaker.ExecuteAsync<int>(null!));
    }

    [Fact]
    public async Task ExecuteAsync_with_state_returns_the_result()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);

        int result = await breaker.ExecuteAsync(static (s, _) => ValueTask.FromResult(s + 1), 41);
        var box = new StrongBox(0);
        await breaker.ExecuteAsync(static (b, _) => { b.Value = 7; return ValueTask.CompletedTask; }, box);
        string text = await breaker.ExecuteAsync(static _ => ValueTask.FromResult("async"));

        Assert.Equal(42, result);
        Assert.Equal(7, box.Value);
        Assert.Equal("async", text);
        Assert.Equal(3, breaker.GetMetrics().SuccessfulCalls);
    }

    [Fact]
    public async Task ExecuteAsync_passes_the_callers_token_through_when_there_is_no_timeout()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);
        using var cts = new CancellationTokenSource();

        bool same = await breaker.ExecuteAsync(static (expected, ct) => ValueTask.FromResult(ct == expected), cts.Token, cts.Token);

        Assert.True(same);
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_a_failure()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o => o.ConsecutiveFailureThreshold = 1);
        using var cts = new CancellationTokenSource();
        var started = new TaskCompletionSource();

        ValueTask<int> call = breaker.ExecuteAsync(
            static async (started, ct) => { started.SetResult(); await Task.Delay(Timeout.Infinite, ct); return 0; },
            started,
            cts.Token);
        await started.Task;
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await call);
        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        Assert.Equal(CircuitState.Closed, metrics.State);
        Assert.Equal(1, metrics.IgnoredCalls);
        Assert.Equal(0, metrics.FailedCalls);
    }

    [Fact]
    public async Task A_token_already_cancelled_throws_before_anything_is_counted()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);
        int runs = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await breaker.ExecuteAsync(_ => { runs++; return ValueTask.FromResult(0); }, new CancellationToken(canceled: true)));

        Assert.Equal(0, runs);
        Assert.Equal(0, breaker.GetMetrics().TotalCalls);
    }

    [Fact]
    public async Task A_cancelled_probe_frees_its_slot()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o => o.SuccessThreshold = 1);
        breaker.Trip();
        _time.Advance(TimeSpan.FromSeconds(30));
        using var cts = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await breaker.ExecuteAsync(static (cts, ct) => { cts.Cancel(); ct.ThrowIfCancellationRequested(); return ValueTask.FromResult(0); }, cts, cts.Token));

        Assert.Equal(CircuitState.HalfOpen, breaker.State);
        Assert.Equal(1, await breaker.ExecuteAsync(static _ => ValueTask.FromResult(1)));
        Assert.Equal(CircuitState.Closed, breaker.State);
    }

    [Fact]
    public async Task A_call_past_the_timeout_throws_TimeoutException_and_counts_as_a_timeout()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o => o.Timeout = TimeSpan.FromSeconds(2));
        FailureKind? kind = null;
        breaker.CallFailed += (_, e) => kind = e.Kind;
        var started = new TaskCompletionSource();

        ValueTask<int> call = breaker.ExecuteAsync(
            static async (started, ct) => { started.SetResult(); await Task.Delay(Timeout.Infinite, ct); return 0; },
            started);
        await started.Task;
        _time.Advance(TimeSpan.FromSeconds(2) - TimeSpan.FromTicks(1));
        Assert.False(call.IsCompleted);
        _time.Advance(TimeSpan.FromTicks(1));

        TimeoutException error = await Assert.ThrowsAsync<TimeoutException>(async () => await call);
        Assert.IsAssignableFrom<OperationCanceledException>(error.InnerException);
        Assert.Equal($"The call through circuit breaker '{breaker.Name}' did not finish within its 2000 ms timeout.", error.Message);
        Assert.Equal(breaker.CreateTimeoutException(null).Message, error.Message);
        Assert.Equal(FailureKind.Timeout, kind);
        Assert.Equal(1, breaker.GetMetrics().FailedCalls);
    }

    [Fact]
    public async Task A_call_that_finishes_within_the_timeout_succeeds()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o => o.Timeout = TimeSpan.FromSeconds(2));

        int result = await breaker.ExecuteAsync(static async ct => { await Task.Yield(); ct.ThrowIfCancellationRequested(); return 5; });

        Assert.Equal(5, result);
        Assert.Equal(1, breaker.GetMetrics().SuccessfulCalls);
    }

    [Fact]
    public async Task A_TimeoutException_thrown_by_the_call_itself_propagates_unchanged()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);
        var own = new TimeoutException("the database timed out");
        FailureKind? kind = null;
        breaker.CallFailed += (_, e) => kind = e.Kind;

        TimeoutException thrown = await Assert.ThrowsAsync<TimeoutException>(async () =>
            await breaker.ExecuteAsync(static (e, _) => ValueTask.FromException<int>(e), own));

        Assert.Same(own, thrown);
        Assert.Equal(FailureKind.Timeout, kind);
    }

    [Fact]
    public async Task ExecuteAsync_applies_ShouldHandle()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o => o.ShouldHandle = static e => e is TimeoutException);

        await Assert.ThrowsAsync<FormatException>(async () =>
            await breaker.ExecuteAsync<int>(static _ => throw new FormatException()));
        await Assert.ThrowsAsync<TimeoutException>(async () =>
            await breaker.ExecuteAsync<int>(static _ => throw new TimeoutException()));

        Assert.Equal(1, breaker.GetMetrics().SuccessfulCalls);
        Assert.Equal(1, breaker.GetMetrics().FailedCalls);
    }

    [Fact]
    public async Task ExecuteAsync_rejects_with_BrokenCircuitException()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);
        breaker.Isolate();

        BrokenCircuitException error = await Assert.ThrowsAsync<BrokenCircuitException>(async () =>
            await breaker.ExecuteAsync(static _ => ValueTask.FromResult(1)));

        Assert.Equal(CircuitState.Isolated, error.State);
        Assert.Null(error.RetryAfter);
    }

    private sealed class StrongBox(int value)
    {
        public int Value { get; set; } = value;
    }
}
