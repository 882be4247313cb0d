using System;
using System.Threading;
using System.Threading.Tasks;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Grpc.Tests;

public sealed class StreamingCallTests(ProbeServer server) : IClassFixture<ProbeServer>
{
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public async Task A_server_stream_that_fails_in_the_middle_counts_once_however_often_it_is_read_and_disposed()
    {
        const string key = "server-stream-fails";
        CircuitBreaker breaker = Calls.Breaker(key, _clock, o => o.ConsecutiveFailureThreshold = 2);
        Probe.ProbeClient client = server.Client(new CircuitBreakerInterceptor(breaker));

        using (AsyncServerStreamingCall<Reply> call = client.ServerStream(new Order { Replies = 3, Status = (int)StatusCode.Internal }, Calls.For(key)))
        {
            for (int i = 0; i < 3; i++)
            {
                Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
                Assert.Equal(i, call.ResponseStream.Current.Index);
            }

            Assert.Equal(0, breaker.GetMetrics().FailedCalls);
            Assert.Equal(StatusCode.Internal, (await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None))).StatusCode);
            await Assert.ThrowsAnyAsync<Exception>(() => call.ResponseStream.MoveNext(CancellationToken.None));
        }

        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        Assert.Equal((1L, 1L, 0L), (metrics.TotalCalls, metrics.FailedCalls, metrics.IgnoredCalls));
        Assert.Equal(CircuitState.Closed, breaker.State);

        // The second failing stream is the second consecutive failure: now the circuit opens.
        using AsyncServerStreamingCall<Reply> second = client.ServerStream(Calls.Fail(StatusCode.Unavailable), Calls.For(key));
        await Assert.ThrowsAsync<RpcException>(() => second.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(CircuitState.Open, breaker.State);
        Assert.Equal(2, server.Arrivals(key));
    }

    [Fact]
    public async Task A_server_stream_counts_as_a_success_when_it_ends_not_before()
    {
        const string key = "server-stream-ends";
        CircuitBreaker breaker = Calls.Breaker(key, _clock);
        Probe.ProbeClient client = server.Client(new CircuitBreakerInterceptor(breaker));

        using AsyncServerStreamingCall<Reply> call = client.ServerStream(new Order { Replies = 2 }, Calls.For(key));
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(0, breaker.GetMetrics().TotalCalls);
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal((1L, 1L), (breaker.GetMetrics().TotalCalls, breaker.GetMetrics().SuccessfulCalls));
    }

    [Fact]
    public async Task A_probe_stream_disposed_early_counts_as_nothing_and_frees_its_slot()
    {
        const string key = "server-stream-disposed";
        CircuitBreaker breaker = Calls.Breaker(key, _clock);
        Probe.ProbeClient client = server.Client(new CircuitBreakerInterceptor(breaker));
        await Assert.ThrowsAsync<RpcException>(async () => await client.UnaryAsync(Calls.Fail(StatusCode.Unavailable), Calls.For(key)));
        _clock.Advance(TimeSpan.FromSeconds(30));

        AsyncServerStreamingCall<Reply> probe = client.ServerStream(new Order { Replies = 1, Hang = true }, Calls.For(key));
        Assert.True(await probe.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Throws<RpcException>(() => client.Unary(new Order(), Calls.For(key)));
        probe.Dispose();

        Assert.Equal(1, breaker.GetMetrics().IgnoredCalls);
        client.Unary(new Order(), Calls.For(key));
        Assert.Equal(CircuitState.Closed, breaker.State);
    }

    [Fact]
    public async Task A_stream_its_caller_cancels_counts_as_nothing()
    {
        const string key = "server-stream-cancelled";
        CircuitBreaker breaker = Calls.Breaker(key, _clock);
        Probe.ProbeClient client = server.Client(new CircuitBreakerInterceptor(breaker));

        using var cancel = new CancellationTokenSource();
        using AsyncServerStreamingCall<Reply> call = client.ServerStream(new Order { Hang = true }, Calls.For(key));
        Task<bool> read = call.ResponseStream.MoveNext(cancel.Token);
        await server.Arrived(key);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<Exception>(() => read);

        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        Assert.Equal((1L, 0L), (metrics.IgnoredCalls, metrics.FailedCalls));
        Assert.Equal(CircuitState.Closed, breaker.State);
    }

    [Fact]
    public async Task A_client_stream_counts_its_response_success_or_failure_once()
    {
        const string key = "client-stream";
        CircuitBreaker breaker = Calls.Breaker(key, _clock);
        Probe.ProbeClient client = server.Client(new CircuitBreakerInterceptor(breaker));

        using (AsyncClientStreamingCall<Order, Reply> good = client.ClientStream(Calls.For(key)))
        {
            await good.RequestStream.WriteAsync(new Order());
            await good.RequestStream.WriteAsync(new Order());
            await good.RequestStream.CompleteAsync();
            Assert.Equal(2, (await good).Index);
        }

        using (AsyncClientStreamingCall<Order, Reply> bad = client.ClientStream(Calls.For(key)))
        {
            await bad.RequestStream.WriteAsync(new Order());
            await bad.RequestStream.WriteAsync(Calls.Fail(StatusCode.Aborted));
            Assert.Equal(StatusCode.Aborted, (await Assert.ThrowsAsync<RpcException>(async () => await bad.ResponseAsync)).StatusCode);
        }

        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        Assert.Equal((2L, 1L, 1L), (metrics.TotalCalls, metrics.SuccessfulCalls, metrics.FailedCalls));
        Assert.Equal(CircuitState.Open, breaker.State);
    }

    [Fact]
    public async Task A_duplex_stream_that_fails_after_replies_counts_once()
    {
        const string key = "duplex";
        CircuitBreaker breaker = Calls.Breaker(key, _clock, o => o.ConsecutiveFailureThreshold = 2);
        Probe.ProbeClient client = server.Client(new CircuitBreakerInterceptor(breaker));

        using (AsyncDuplexStreamingCall<Order, Reply> call = client.Duplex(Calls.For(key)))
        {
            await call.RequestStream.WriteAsync(new Order { Replies = 2 });
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
            await call.RequestStream.WriteAsync(Calls.Fail(StatusCode.Unavailable));
            await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));
            await Assert.ThrowsAnyAsync<Exception>(() => call.ResponseStream.MoveNext(CancellationToken.None));
        }

        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        Assert.Equal((1L, 1L), (metrics.TotalCalls, metrics.FailedCalls));
        Assert.Equal(CircuitState.Closed, breaker.State);
    }

    [Fact]
    public async Task An_open_circuit_rejects_every_kind_of_streaming_call_before_it_reaches_the_server()
    {
        const string key = "streams-rejected";
        CircuitBreaker breaker = Calls.Breaker(key, _clock);
        Probe.ProbeClient client = server.Client(new CircuitBreakerInterceptor(breaker));
        await Assert.ThrowsAsync<RpcException>(async () => await client.UnaryAsync(Calls.Fail(StatusCode.Unavailable), Calls.For(key)));

        RpcException[] rejections =
        [
            Assert.Throws<RpcException>(() => client.ServerStream(new Order(), Calls.For(key))),
            Assert.Throws<RpcException>(() => client.ClientStream(Calls.For(key))),
            Assert.Throws<RpcException>(() => client.Duplex(Calls.For(key))),
        ];

        Assert.All(rejections, r => Assert.Equal(TimeSpan.FromSeconds(30), Calls.Rejection(r).RetryAfter));
        Assert.Contains("/probe.Probe/Duplex was not sent", rejections[2].Status.Detail, StringComparison.Ordinal);
        Assert.Equal(1, server.Arrivals(key));
        Assert.Equal(3, breaker.GetMetrics().RejectedCalls);
    }
}
