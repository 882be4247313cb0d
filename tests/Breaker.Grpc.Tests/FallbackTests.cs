using System;
using System.Threading.Tasks;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Grpc.Tests;

public sealed class FallbackTests(ProbeServer server) : IClassFixture<ProbeServer>
{
    private const string Unary = "/probe.Probe/Unary";
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public async Task A_rejected_unary_call_gets_its_methods_fallback_async_and_blocking_and_is_not_sent()
    {
        const string key = "fallback";
        CircuitBreaker breaker = Calls.Breaker(key, _clock);
        TimeSpan? wait = null;
        GrpcCircuitBreakerOptions options = new GrpcCircuitBreakerOptions().AddFallback<Order, Reply>(Unary, (_, rejection) =>
        {
            wait = rejection.RetryAfter;
            return new Reply { Index = -1 };
        });
        Probe.ProbeClient client = server.Client(new CircuitBreakerInterceptor(breaker, options));
        await Assert.ThrowsAsync<RpcException>(async () => await client.UnaryAsync(Calls.Fail(StatusCode.Unavailable), Calls.For(key)));

        AsyncUnaryCall<Reply> call = client.UnaryAsync(new Order(), Calls.For(key));
        Assert.Equal(-1, (await call).Index);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
        Assert.Equal(-1, client.Unary(new Order(), Calls.For(key)).Index);

        Assert.Equal(TimeSpan.FromSeconds(30), wait);
        Assert.Equal(1, server.Arrivals(key));
        Assert.Equal((2L, 2L), (breaker.GetMetrics().FallbackCalls, breaker.GetMetrics().RejectedCalls));
    }

    [Fact]
    public async Task A_fallback_answers_rejections_only_not_failures_nor_other_methods()
    {
        const string key = "fallback-scope";
        CircuitBreaker breaker = Calls.Breaker(key, _clock);
        GrpcCircuitBreakerOptions options = new GrpcCircuitBreakerOptions().AddFallback<Order, Reply>(Unary, static (_, _) => new Reply { Index = -1 });
        Probe.ProbeClient client = server.Client(new CircuitBreakerInterceptor(breaker, options));

        RpcException failed = await Assert.ThrowsAsync<RpcException>(async () => await client.UnaryAsync(Calls.Fail(StatusCode.Unavailable), Calls.For(key)));
        RpcException rejectedStream = Assert.Throws<RpcException>(() => client.ServerStream(new Order(), Calls.For(key)));

        Assert.Equal("the probe server was told to fail", failed.Status.Detail);
        Assert.Equal(key, Calls.Rejection(rejectedStream).CircuitName);
        Assert.Equal(0, breaker.GetMetrics().FallbackCalls);
    }

    [Fact]
    public async Task A_fallback_of_the_wrong_types_or_one_that_throws_says_what_is_wrong()
    {
        const string key = "fallback-wrong";
        CircuitBreaker breaker = Calls.Breaker(key, _clock);
        GrpcCircuitBreakerOptions wrong = new GrpcCircuitBreakerOptions().AddFallback<Reply, Reply>(Unary, static (_, _) => new Reply());
        GrpcCircuitBreakerOptions throwing = new GrpcCircuitBreakerOptions().AddFallback<Order, Reply>(Unary, static (_, _) => throw new FormatException("no cache"));
        await Assert.ThrowsAsync<RpcException>(async () => await server.Client(new CircuitBreakerInterceptor(breaker)).UnaryAsync(Calls.Fail(StatusCode.Unavailable), Calls.For(key)));

        InvalidOperationException mismatch = Assert.Throws<InvalidOperationException>(
            () => server.Client(new CircuitBreakerInterceptor(breaker, wrong)).Unary(new Order(), Calls.For(key)));
        InvalidOperationException threw = Assert.Throws<InvalidOperationException>(
            () => server.Client(new CircuitBreakerInterceptor(breaker, throwing)).UnaryAsync(new Order(), Calls.For(key)));

        Assert.Contains("does not take Order and return Reply", mismatch.Message, StringComparison.Ordinal);
        Assert.IsType<FormatException>(threw.InnerException);
        Assert.Contains($"'{key}'", threw.Message, StringComparison.Ordinal);
        Assert.Equal(0, breaker.GetMetrics().FallbackCalls);
    }

    [Theory]
    [InlineData("Unary")]
    [InlineData("probe.Probe/Unary")]
    [InlineData("/probe.Probe/")]
    [InlineData("//Unary")]
    [InlineData("/Unary")]
    [InlineData(" ")]
    public void A_name_that_is_not_a_full_method_name_is_refused(string name)
    {
        var options = new GrpcCircuitBreakerOptions();

        Assert.ThrowsAny<ArgumentException>(() => options.AddFallback<Order, Reply>(name, static (_, _) => new Reply()));
    }
}
