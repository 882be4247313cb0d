using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Grpc.Tests;

public sealed class UnaryCallTests(ProbeServer server) : IClassFixture<ProbeServer>
{
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public async Task An_open_circuit_rejects_async_and_blocking_calls_with_Unavailable_naming_the_breaker_and_the_wait_and_they_never_arrive()
    {
        const string key = "unary-rejects";
        CircuitBreaker breaker = Calls.Breaker(key, _clock);
        Probe.ProbeClient client = server.Client(new CircuitBreakerInterceptor(breaker));

        await Assert.ThrowsAsync<RpcException>(async () => await client.UnaryAsync(Calls.Fail(StatusCode.Unavailable), Calls.For(key)));
        RpcException async = Assert.Throws<RpcException>(() => client.UnaryAsync(new Order(), Calls.For(key)));
        RpcException blocking = Assert.Throws<RpcException>(() => client.Unary(new Order(), Calls.For(key)));

        Assert.Equal(1, server.Arrivals(key));
        foreach (RpcException rejected in new[] { async, blocking })
        {
            Assert.Equal(StatusCode.Unavailable, rejected.StatusCode);
            Assert.Contains($"'{key}'", rejected.Status.Detail, StringComparison.Ordinal);
            Assert.Contains("retry after 30000 ms", rejected.Status.Detail, StringComparison.Ordinal);
            Assert.Contains("/probe.Probe/Unary was not sent", rejected.Status.Detail, StringComparison.Ordinal);
            Assert.Equal(TimeSpan.FromSeconds(30), Calls.Rejection(rejected).RetryAfter);
        }

        Assert.Equal(2, breaker.GetMetrics().RejectedCalls);
    }

    [Fact]
    public async Task After_the_break_a_probe_reaches_the_server_and_its_success_closes_the_circuit()
    {
        const string key = "unary-probe";
        CircuitBreaker breaker = Calls.Breaker(key, _clock);
        Probe.ProbeClient client = server.Client(new CircuitBreakerInterceptor(breaker));
        await Assert.ThrowsAsync<RpcException>(async () => await client.UnaryAsync(Calls.Fail(StatusCode.Internal), Calls.For(key)));

        _clock.Advance(TimeSpan.FromSeconds(30));
        Reply reply = client.Unary(new Order(), Calls.For(key));

        Assert.Equal(0, reply.Index);
        Assert.Equal(CircuitState.Closed, breaker.State);
        Assert.Equal(2, server.Arrivals(key));
    }

    [Theory]
    [InlineData(StatusCode.Unavailable)]
    [InlineData(StatusCode.DeadlineExceeded)]
    [InlineData(StatusCode.ResourceExhausted)]
    [InlineData(StatusCode.Internal)]
    [InlineData(StatusCode.Unknown)]
    [InlineData(StatusCode.Aborted)]
    public async Task These_statuses_count_as_failures_by_default(StatusCode status)
    {
        string key = $"unary-failure-{status}";
        CircuitBreaker breaker = Calls.Breaker(key, _clock);
        Probe.ProbeClient client = server.Client(new CircuitBreakerInterceptor(breaker));

        RpcException failed = await Assert.ThrowsAsync<RpcException>(async () => await client.UnaryAsync(Calls.Fail(status), Calls.For(key)));

        Assert.Equal(status, failed.StatusCode);
        Assert.Equal(1, breaker.GetMetrics().FailedCalls);
        Assert.Equal(CircuitState.Open, breaker.State);
    }

    [Theory]
    [InlineData(StatusCode.InvalidArgument)]
    [InlineData(StatusCode.NotFound)]
    [InlineData(StatusCode.AlreadyExists)]
    [InlineData(StatusCode.PermissionDenied)]
    [InlineData(StatusCode.Unauthenticated)]
    [InlineData(StatusCode.FailedPrecondition)]
    [InlineData(StatusCode.OutOfRange)]
    [InlineData(StatusCode.Unimplemented)]
    public async Task A_healthy_servers_refusals_count_as_successes(StatusCode status)
    {
        string key = $"unary-answer-{status}";
        CircuitBreaker breaker = Calls.Breaker(key, _clock);
        Probe.ProbeClient client = server.Client(new CircuitBreakerInterceptor(breaker));

        RpcException refused = await Assert.ThrowsAsync<RpcException>(async () => await client.UnaryAsync(Calls.Fail(status), Calls.For(key)));

        Assert.Equal(status, refused.StatusCode);
        Assert.Equal((1, 0), (breaker.GetMetrics().SuccessfulCalls, breaker.GetMetrics().FailedCalls));
        Assert.Equal(CircuitState.Closed, breaker.State);
    }

    [Fact]
    public async Task A_status_Cancelled_the_caller_did_not_ask_for_counts_as_nothing()
    {
        const string key = "unary-server-cancelled";
        CircuitBreaker breaker = Calls.Breaker(key, _clock);
        Probe.ProbeClient client = server.Client(new CircuitBreakerInterceptor(breaker));

        await Assert.ThrowsAsync<RpcException>(async () => await client.UnaryAsync(Calls.Fail(StatusCode.Cancelled), Calls.For(key)));

        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        Assert.Equal((1L, 0L, 0L), (metrics.IgnoredCalls, metrics.SuccessfulCalls, metrics.FailedCalls));
    }

    [Fact]
    public async Task The_classification_is_configurable()
    {
        const string key = "unary-custom";
        CircuitBreaker breaker = Calls.Breaker(key, _clock);
        var options = new GrpcCircuitBreakerOptions { IsFailure = static status => status.StatusCode == StatusCode.NotFound };
        Probe.ProbeClient client = server.Client(new CircuitBreakerInterceptor(breaker, options));

        await Assert.ThrowsAsync<RpcException>(async () => await client.UnaryAsync(Calls.Fail(StatusCode.Unavailable), Calls.For(key)));
        Assert.Equal(CircuitState.Closed, breaker.State);
        await Assert.ThrowsAsync<RpcException>(async () => await client.UnaryAsync(Calls.Fail(StatusCode.NotFound), Calls.For(key)));

        Assert.Equal(CircuitState.Open, breaker.State);
        Assert.Equal((1L, 1L), (breaker.GetMetrics().SuccessfulCalls, breaker.GetMetrics().FailedCalls));
    }

    [Fact]
    public async Task A_classifier_that_throws_gives_the_permit_back_and_says_so()
    {
        const string key = "unary-classifier-throws";
        CircuitBreaker breaker = Calls.Breaker(key, _clock);
        var options = new GrpcCircuitBreakerOptions { IsFailure = static _ => throw new FormatException("bad classifier") };
        Probe.ProbeClient client = server.Client(new CircuitBreakerInterceptor(breaker, options));

        InvalidOperationException thrown = await Assert.ThrowsAsync<InvalidOperationException>(
            async () => await client.UnaryAsync(Calls.Fail(StatusCode.Internal), Calls.For(key)));

        Assert.IsType<FormatException>(thrown.InnerException);
        Assert.Equal(1, breaker.GetMetrics().IgnoredCalls);
    }

    [Fact]
    public async Task A_call_its_caller_cancels_counts_as_nothing_even_on_the_only_probe()
    {
        const string key = "unary-cancelled";
        CircuitBreaker breaker = Calls.Breaker(key, _clock);
        Probe.ProbeClient client = server.Client(new CircuitBreakerInterceptor(breaker));
        await Assert.ThrowsAsync<RpcException>(async () => await client.UnaryAsync(Calls.Fail(StatusCode.Unavailable), Calls.For(key)));
        _clock.Advance(TimeSpan.FromSeconds(30));

        using var cancel = new CancellationTokenSource();
        AsyncUnaryCall<Reply> probe = client.UnaryAsync(new Order { Hang = true }, Calls.For(key, cancel.Token));
        await server.Arrived(key);
        cancel.Cancel();
        RpcException cancelled = await Assert.ThrowsAsync<RpcException>(async () => await probe);

        Assert.Equal(StatusCode.Cancelled, cancelled.StatusCode);
        Assert.Equal(1, breaker.GetMetrics().IgnoredCalls);
        Assert.Equal(CircuitState.HalfOpen, breaker.State);

        // The probe's slot came back: the next call is the probe, and it closes the circuit.
        await client.UnaryAsync(new Order(), Calls.For(key));
        Assert.Equal(CircuitState.Closed, breaker.State);
    }

    [Fact]
    public async Task A_server_nobody_listens_on_is_a_connection_failure_and_a_missed_deadline_a_timeout()
    {
        const string key = "unary-transport";
        CircuitBreaker breaker = Calls.Breaker(key, _clock, o => o.ConsecutiveFailureThreshold = 5);
        var kinds = new ConcurrentQueue<FailureKind>();
        breaker.CallFailed += (_, e) => kinds.Enqueue(e.Kind);
        var interceptor = new CircuitBreakerInterceptor(breaker);

        RpcException refused = await Assert.ThrowsAsync<RpcException>(
            async () => await server.Client(interceptor, server.RefusingAddress).UnaryAsync(new Order(), Calls.For(key)));
        RpcException late = await Assert.ThrowsAsync<RpcException>(
            async () => await server.Client(interceptor).UnaryAsync(new Order { Hang = true }, Calls.For(key).WithDeadline(DateTime.UtcNow.AddMilliseconds(50))));

        Assert.Equal((StatusCode.Unavailable, StatusCode.DeadlineExceeded), (refused.StatusCode, late.StatusCode));
        Assert.Equal([FailureKind.ConnectionError, FailureKind.Timeout], kinds);
    }

    [Fact]
    public async Task Disposing_a_call_before_it_ends_counts_as_nothing()
    {
        const string key = "unary-disposed";
        CircuitBreaker breaker = Calls.Breaker(key, _clock);
        Probe.ProbeClient client = server.Client(new CircuitBreakerInterceptor(breaker));

        AsyncUnaryCall<Reply> call = client.UnaryAsync(new Order { Hang = true }, Calls.For(key));
        await server.Arrived(key);
        call.Dispose();
        await Assert.ThrowsAsync<RpcException>(async () => await call);

        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        Assert.Equal((1L, 0L, 0L), (metrics.IgnoredCalls, metrics.FailedCalls, metrics.SuccessfulCalls));
    }

    [Fact]
    public async Task The_breakers_timeout_is_a_unary_calls_deadline_and_a_call_past_it_a_timeout()
    {
        const string key = "unary-timeout";
        CircuitBreaker breaker = Calls.Breaker(key, _clock, o => o.Timeout = TimeSpan.FromMilliseconds(50));
        var kinds = new ConcurrentQueue<FailureKind>();
        breaker.CallFailed += (_, e) => kinds.Enqueue(e.Kind);
        Probe.ProbeClient client = server.Client(new CircuitBreakerInterceptor(breaker));

        RpcException late = Assert.Throws<RpcException>(() => client.Unary(new Order { Hang = true }, Calls.For(key)));

        Assert.Equal(StatusCode.DeadlineExceeded, late.StatusCode);
        Assert.Equal([FailureKind.Timeout], kinds);
        Assert.Equal(CircuitState.Open, breaker.State);
    }

    [Fact]
    public async Task A_client_that_throws_OperationCanceledException_on_cancellation_counts_it_as_nothing_too()
    {
        const string key = "unary-oce";
        CircuitBreaker breaker = Calls.Breaker(key, _clock);
        var channel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { ThrowOperationCanceledOnCancellation = true });
        var client = new Probe.ProbeClient(channel.Intercept(new CircuitBreakerInterceptor(breaker)));

        using var cancel = new CancellationTokenSource();
        AsyncUnaryCall<Reply> call = client.UnaryAsync(new Order { Hang = true }, Calls.For(key, cancel.Token));
        await server.Arrived(key);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await call);

        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        Assert.Equal((1L, 0L), (metrics.IgnoredCalls, metrics.FailedCalls));
    }
}
