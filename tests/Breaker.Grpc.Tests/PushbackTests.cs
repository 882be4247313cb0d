using System;
using System.Threading.Tasks;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Grpc.Tests;

public sealed class PushbackTests(ProbeServer server) : IClassFixture<ProbeServer>
{
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public async Task A_pushback_longer_than_the_break_holds_the_circuit_open_until_it_is_over()
    {
        const string key = "pushback";
        CircuitBreaker breaker = Calls.Breaker(key, _clock);
        Probe.ProbeClient client = server.Client(new CircuitBreakerInterceptor(breaker));

        await Assert.ThrowsAsync<RpcException>(async () => await client.UnaryAsync(Calls.Fail(StatusCode.ResourceExhausted, "90000"), Calls.For(key)));
        _clock.Advance(TimeSpan.FromSeconds(30));
        RpcException rejected = Assert.Throws<RpcException>(() => client.Unary(new Order(), Calls.For(key)));
        Assert.Equal(TimeSpan.FromSeconds(60), Calls.Rejection(rejected).RetryAfter);
        Assert.Contains("retry after 60000 ms", rejected.Status.Detail, StringComparison.Ordinal);

        _clock.Advance(TimeSpan.FromSeconds(60));
        client.Unary(new Order(), Calls.For(key));
        Assert.Equal(CircuitState.Closed, breaker.State);
        Assert.Equal(2, server.Arrivals(key));
    }

    [Theory]
    [InlineData("-90000")]
    [InlineData("+90000")]
    [InlineData("90000.5")]
    [InlineData(" 90000")]
    [InlineData("9e4")]
    [InlineData("0x15F90")]
    [InlineData("ninety seconds")]
    [InlineData("")]
    [InlineData("0")]
    public async Task A_pushback_that_is_not_plain_milliseconds_asks_for_nothing(string value)
    {
        string key = $"pushback-garbage-{value}";
        CircuitBreaker breaker = Calls.Breaker(key, _clock);
        Probe.ProbeClient client = server.Client(new CircuitBreakerInterceptor(breaker));

        await Assert.ThrowsAsync<RpcException>(async () => await client.UnaryAsync(Calls.Fail(StatusCode.Unavailable, value), Calls.For(key)));

        Assert.Equal(TimeSpan.FromSeconds(30), breaker.GetMetrics().RetryAfter);
    }

    [Fact]
    public async Task Two_pushback_trailers_ask_for_nothing()
    {
        const string key = "pushback-twice";
        CircuitBreaker breaker = Calls.Breaker(key, _clock);
        Probe.ProbeClient client = server.Client(new CircuitBreakerInterceptor(breaker));

        await Assert.ThrowsAsync<RpcException>(async () => await client.UnaryAsync(Calls.Fail(StatusCode.Unavailable, "90000", "120000"), Calls.For(key)));

        Assert.Equal(TimeSpan.FromSeconds(30), breaker.GetMetrics().RetryAfter);
    }

    [Theory]
    [InlineData("2147483648")]
    [InlineData("18446744073709551616")]
    [InlineData("999999999999999999999999999999999999")]
    public async Task A_huge_pushback_is_held_to_the_longest_wait_a_dependency_may_ask_for(string value)
    {
        string key = $"pushback-huge-{value.Length}";
        CircuitBreaker breaker = Calls.Breaker(key, _clock, o =>
        {
            o.MaxBreakDuration = TimeSpan.FromMinutes(10);
            o.MaxRetryAfter = TimeSpan.FromMinutes(7);
        });
        Probe.ProbeClient client = server.Client(new CircuitBreakerInterceptor(breaker));

        await Assert.ThrowsAsync<RpcException>(async () => await client.UnaryAsync(Calls.Fail(StatusCode.Unavailable, value), Calls.For(key)));

        Assert.Equal(TimeSpan.FromMinutes(7), breaker.GetMetrics().RetryAfter);
    }

    [Fact]
    public async Task Pushback_is_ignored_when_turned_off_or_on_a_status_that_is_no_failure()
    {
        const string key = "pushback-off";
        CircuitBreaker off = Calls.Breaker(key, _clock);
        CircuitBreaker healthy = Calls.Breaker(key + "-healthy", _clock);
        Probe.ProbeClient offClient = server.Client(new CircuitBreakerInterceptor(off, new GrpcCircuitBreakerOptions { HonorRetryPushback = false }));
        Probe.ProbeClient healthyClient = server.Client(new CircuitBreakerInterceptor(healthy));

        await Assert.ThrowsAsync<RpcException>(async () => await offClient.UnaryAsync(Calls.Fail(StatusCode.Unavailable, "90000"), Calls.For(key)));
        await Assert.ThrowsAsync<RpcException>(async () => await healthyClient.UnaryAsync(Calls.Fail(StatusCode.NotFound, "90000"), Calls.For(key)));
        await Assert.ThrowsAsync<RpcException>(async () => await healthyClient.UnaryAsync(Calls.Fail(StatusCode.Unavailable), Calls.For(key)));

        Assert.Equal(TimeSpan.FromSeconds(30), off.GetMetrics().RetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(30), healthy.GetMetrics().RetryAfter);
    }

    [Fact]
    public async Task A_stream_that_fails_with_pushback_sets_the_break_too()
    {
        const string key = "pushback-stream";
        CircuitBreaker breaker = Calls.Breaker(key, _clock);
        Probe.ProbeClient client = server.Client(new CircuitBreakerInterceptor(breaker));

        using AsyncServerStreamingCall<Reply> call = client.ServerStream(
            new Order { Replies = 1, Status = (int)StatusCode.Unavailable, Pushback = { "45000" } }, Calls.For(key));
        Assert.True(await call.ResponseStream.MoveNext(default));
        await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(default));

        Assert.Equal(TimeSpan.FromSeconds(45), breaker.GetMetrics().RetryAfter);
    }
}
