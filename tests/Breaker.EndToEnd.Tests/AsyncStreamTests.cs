using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Breaker.EndToEnd.Tests.Services;

namespace Breaker.EndToEnd.Tests;

/// <summary>Guarded <c>IAsyncEnumerable&lt;T&gt;</c> methods, partial and in a decorator: what a stream's enumeration counts.</summary>
public class AsyncStreamTests
{
    [Fact]
    public async Task Nothing_runs_until_the_first_MoveNextAsync_and_a_stream_read_to_its_end_counts_one_success()
    {
        var service = new FeedService();

        IAsyncEnumerable<string> stream = service.ReadAsync("news", CancellationToken.None);
        await using IAsyncEnumerator<string> enumerator = stream.GetAsyncEnumerator();
        Assert.Equal(0, service.Script.Calls);
        Assert.Equal(0, TestClock.Metrics("e2e-stream").TotalCalls);

        Assert.True(await enumerator.MoveNextAsync());
        Assert.Equal(1, service.Script.Calls);
        Assert.Equal("a", enumerator.Current);
        Assert.True(await enumerator.MoveNextAsync());
        Assert.Equal(0, TestClock.Metrics("e2e-stream").TotalCalls);
        Assert.False(await enumerator.MoveNextAsync());

        CircuitBreakerMetrics metrics = TestClock.Metrics("e2e-stream");
        Assert.Equal(1, metrics.TotalCalls);
        Assert.Equal(1, metrics.SuccessfulCalls);
        Assert.Equal(1, service.Script.Finished);
    }

    [Fact]
    public async Task A_failure_while_enumerating_counts_once_propagates_and_a_rejection_throws_on_the_first_MoveNextAsync()
    {
        var failure = new InvalidOperationException("feed down");
        var service = new FeedService();
        service.Script.FailAfterFirst = failure;
        var received = new List<string>();

        InvalidOperationException thrown = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (string item in service.ReadRejectedAsync("news", CancellationToken.None))
            {
                received.Add(item);
            }
        });

        Assert.Same(failure, thrown);
        Assert.Equal(["a"], received);
        Assert.Equal(1, service.Script.Finished);
        CircuitBreakerMetrics afterFailure = TestClock.Metrics("e2e-stream-rejected");
        Assert.Equal(1, afterFailure.TotalCalls);
        Assert.Equal(1, afterFailure.FailedCalls);
        Assert.Equal(CircuitState.Open, afterFailure.State);

        IAsyncEnumerable<string> rejected = service.ReadRejectedAsync("news", CancellationToken.None);
        await using IAsyncEnumerator<string> enumerator = rejected.GetAsyncEnumerator();
        BrokenCircuitException broken = await Assert.ThrowsAsync<BrokenCircuitException>(async () => await enumerator.MoveNextAsync());

        Assert.Equal("e2e-stream-rejected", broken.CircuitName);
        Assert.Equal(1, service.Script.Calls);
        Assert.Equal(1, TestClock.Metrics("e2e-stream-rejected").RejectedCalls);
    }

    [Fact]
    public async Task A_fallback_stream_replaces_a_rejected_stream_and_one_that_fails_before_its_first_element_or_when_called_but_not_after()
    {
        var service = new FeedService();
        service.Script.FailAtStart = new InvalidOperationException("down before the first element");

        Assert.Equal(["cached news"], await ReadAll(service.ReadWithFallbackAsync("news", CancellationToken.None)));
        Assert.IsType<InvalidOperationException>(service.FallbackReceived);
        Assert.Equal(1, service.Script.Finished);

        service.Script.FailAtStart = null;
        service.Script.FailAfterFirst = new InvalidOperationException("down after the first element");
        var received = new List<string>();
        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (string item in service.ReadWithFallbackAsync("news", CancellationToken.None))
            {
                received.Add(item);
            }
        });
        Assert.Equal(["a"], received);

        service.Script.FailAfterFirst = null;
        service.Script.FailOnCall = new TimeoutException("the method itself threw");
        Assert.Equal(["cached weather"], await ReadAll(service.ReadWithFallbackAsync("weather", CancellationToken.None)));
        Assert.IsType<TimeoutException>(service.FallbackReceived);

        TestClock.Breaker("e2e-stream-fallback").Isolate();
        try
        {
            Assert.Equal(["cached sport"], await ReadAll(service.ReadWithFallbackAsync("sport", CancellationToken.None)));
            Assert.IsType<BrokenCircuitException>(service.FallbackReceived);
            Assert.Equal(3, service.Script.Calls);
        }
        finally
        {
            TestClock.Breaker("e2e-stream-fallback").Reset();
        }

        CircuitBreakerMetrics metrics = TestClock.Metrics("e2e-stream-fallback");
        Assert.Equal(3, metrics.FailedCalls);
        Assert.Equal(1, metrics.RejectedCalls);
        Assert.Equal(3, metrics.FallbackCalls);
    }

    [Fact]
    public async Task Cancellation_by_the_caller_through_WithCancellation_or_the_methods_token_is_not_a_failure()
    {
        var service = new FeedService();
        service.Script.Gate = new TaskCompletionSource();

        using var enumeratorCancellation = new CancellationTokenSource();
        await using (IAsyncEnumerator<string> enumerator = service.ReadCancellableAsync("news", CancellationToken.None).GetAsyncEnumerator(enumeratorCancellation.Token))
        {
            ValueTask<bool> first = enumerator.MoveNextAsync();
            Assert.False(first.IsCompleted);
            await enumeratorCancellation.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await first);
        }

        using var methodCancellation = new CancellationTokenSource();
        await using (IAsyncEnumerator<string> enumerator = service.ReadCancellableAsync("news", methodCancellation.Token).GetAsyncEnumerator())
        {
            ValueTask<bool> first = enumerator.MoveNextAsync();
            Assert.False(first.IsCompleted);
            await methodCancellation.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await first);
        }

        CircuitBreakerMetrics metrics = TestClock.Metrics("e2e-stream-cancel");
        Assert.Equal(0, metrics.FailedCalls);
        Assert.Equal(2, metrics.IgnoredCalls);
        Assert.Equal(2, service.Script.Finished);
    }

    [Fact]
    public async Task An_early_DisposeAsync_is_not_a_failure_and_disposes_the_inner_stream()
    {
        var service = new FeedService();

        await using (IAsyncEnumerator<string> enumerator = service.ReadDisposedAsync("news").GetAsyncEnumerator())
        {
            Assert.True(await enumerator.MoveNextAsync());
        }

        CircuitBreakerMetrics metrics = TestClock.Metrics("e2e-stream-dispose");
        Assert.Equal(1, metrics.TotalCalls);
        Assert.Equal(1, metrics.IgnoredCalls);
        Assert.Equal(0, metrics.FailedCalls);
        Assert.Equal(0, metrics.SuccessfulCalls);
        Assert.Equal(1, service.Script.Finished);
    }

    [Fact]
    public async Task A_half_open_probe_disposed_early_gives_its_slot_back_and_the_next_probe_decides()
    {
        var service = new FeedService();
        service.Script.FailAtStart = new InvalidOperationException("down");
        await Assert.ThrowsAsync<InvalidOperationException>(() => ReadAll(service.ReadProbeAsync("news", CancellationToken.None)));
        Assert.Equal(CircuitState.Open, TestClock.Breaker("e2e-stream-probe").State);

        service.Script.FailAtStart = null;
        TestClock.Time.Advance(TimeSpan.FromSeconds(1));
        await using (IAsyncEnumerator<string> probe = service.ReadProbeAsync("news", CancellationToken.None).GetAsyncEnumerator())
        {
            Assert.True(await probe.MoveNextAsync());
            Assert.Equal(CircuitState.HalfOpen, TestClock.Breaker("e2e-stream-probe").State);
        }

        // With the only probe slot still taken, this stream would be rejected.
        Assert.Equal(["a", "b"], await ReadAll(service.ReadProbeAsync("news", CancellationToken.None)));
        CircuitBreakerMetrics metrics = TestClock.Metrics("e2e-stream-probe");
        Assert.Equal(CircuitState.Closed, metrics.State);
        Assert.Equal(0, metrics.RejectedCalls);
        Assert.Equal(1, metrics.IgnoredCalls);
    }

    [Fact]
    public async Task The_timeout_covers_each_MoveNextAsync_and_not_the_time_the_caller_spends_on_an_element()
    {
        var service = new FeedService();
        var kinds = new List<FailureKind>();
        TestClock.Breaker("e2e-stream-timeout").CallFailed += (_, e) => kinds.Add(e.Kind);

        await using (IAsyncEnumerator<string> slowReader = service.ReadTimedAsync("news", CancellationToken.None).GetAsyncEnumerator())
        {
            Assert.True(await slowReader.MoveNextAsync());
            TestClock.Time.Advance(TimeSpan.FromSeconds(5));
            Assert.True(await slowReader.MoveNextAsync());
            Assert.False(await slowReader.MoveNextAsync());
        }

        Assert.Equal(1, TestClock.Metrics("e2e-stream-timeout").SuccessfulCalls);

        service.Script.Gate = new TaskCompletionSource();
        await using (IAsyncEnumerator<string> stuck = service.ReadTimedAsync("news", CancellationToken.None).GetAsyncEnumerator())
        {
            ValueTask<bool> first = stuck.MoveNextAsync();
            TestClock.Time.Advance(TimeSpan.FromMilliseconds(999));
            Assert.False(first.IsCompleted);
            TestClock.Time.Advance(TimeSpan.FromMilliseconds(1));
            await Assert.ThrowsAsync<TimeoutException>(async () => await first);
        }

        CircuitBreakerMetrics metrics = TestClock.Metrics("e2e-stream-timeout");
        Assert.Equal(1, metrics.FailedCalls);
        Assert.Equal([FailureKind.Timeout], kinds);
        Assert.Equal(2, service.Script.Finished);
    }

    [Fact]
    public async Task Ignored_exceptions_from_a_stream_give_the_permit_back_without_a_verdict()
    {
        var service = new FeedService();
        service.Script.FailAtStart = new ArgumentException("bad topic");

        await Assert.ThrowsAsync<ArgumentException>(() => ReadAll(service.ReadIgnoringAsync("?", CancellationToken.None)));

        CircuitBreakerMetrics metrics = TestClock.Metrics("e2e-stream-ignores");
        Assert.Equal(1, metrics.IgnoredCalls);
        Assert.Equal(0, metrics.FailedCalls);
    }

    [Fact]
    public async Task A_static_stream_method_is_guarded()
    {
        Assert.Equal([1, 2, 3], await ReadAll(FeedService.CountAsync(3)));
        Assert.Equal(1, TestClock.Metrics("e2e-stream-static").SuccessfulCalls);
    }

    [Fact]
    public async Task A_decorators_stream_members_count_on_their_breakers_and_a_rejection_never_reaches_the_inner_instance()
    {
        var backend = new FeedBackend();
        IFeedApi api = new FeedApiBreaker(backend);

        Assert.Equal(["a", "b"], await ReadAll(api.ReadAsync("news", CancellationToken.None)));
        backend.Script.FailAtStart = new InvalidOperationException("down");
        await Assert.ThrowsAsync<InvalidOperationException>(() => ReadAll(api.ReadAsync("news", CancellationToken.None)));
        Assert.Equal(2, backend.Script.Calls);

        await Assert.ThrowsAsync<BrokenCircuitException>(() => ReadAll(api.ReadAsync("news", CancellationToken.None)));
        Assert.Equal(2, backend.Script.Calls);

        Assert.Equal(["no archive for news"], await ReadAll(api.ReadArchiveAsync("news", CancellationToken.None)));
        Assert.Equal(["no archive for news"], await ReadAll(api.ReadArchiveAsync("news", CancellationToken.None)));
        Assert.Equal(3, backend.Script.Calls);

        CircuitBreakerMetrics decorator = TestClock.Metrics("e2e-feed-decorator");
        Assert.Equal(1, decorator.SuccessfulCalls);
        Assert.Equal(1, decorator.FailedCalls);
        Assert.Equal(1, decorator.RejectedCalls);
        CircuitBreakerMetrics archive = TestClock.Metrics("e2e-feed-decorator.archive");
        Assert.Equal(1, archive.FailedCalls);
        Assert.Equal(1, archive.RejectedCalls);
        Assert.Equal(2, archive.FallbackCalls);
    }

    private static async Task<List<T>> ReadAll<T>(IAsyncEnumerable<T> stream)
    {
        var items = new List<T>();
        await foreach (T item in stream)
        {
            items.Add(item);
        }

        return items;
    }
}
