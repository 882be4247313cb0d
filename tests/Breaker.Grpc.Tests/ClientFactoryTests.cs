using System;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using Grpc.Core;
using Grpc.Net.ClientFactory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Grpc.Tests;

public sealed class ClientFactoryTests(ProbeServer server) : IClassFixture<ProbeServer>
{
    private readonly CircuitBreakerRegistry _registry = new(new FakeTimeProvider());

    [Fact]
    public async Task One_line_on_AddGrpcClient_guards_the_typed_client_with_the_registrys_breaker()
    {
        const string key = "di";
        await using ServiceProvider services = Services(s => s.AddGrpcClient<Probe.ProbeClient>(o => o.Address = server.Address)
            .AddGrpcCircuitBreaker(key, o => o.ConsecutiveFailureThreshold = 1));
        Probe.ProbeClient client = services.GetRequiredService<Probe.ProbeClient>();

        await Assert.ThrowsAsync<RpcException>(async () => await client.UnaryAsync(Calls.Fail(StatusCode.Unavailable), Calls.For(key)));
        RpcException rejected = await Assert.ThrowsAsync<RpcException>(
            async () => await services.GetRequiredService<Probe.ProbeClient>().UnaryAsync(new Order(), Calls.For(key)));

        Assert.Equal(key, Calls.Rejection(rejected).CircuitName);
        Assert.True(_registry.TryGet(key, out CircuitBreaker? breaker));
        Assert.Equal(CircuitState.Open, breaker.State);
        Assert.Equal(1, server.Arrivals(key));
    }

    [Fact]
    public async Task Per_method_breakers_keep_a_failing_method_from_breaking_the_others_and_register_its_fallback()
    {
        const string key = "di-method";
        await using ServiceProvider services = Services(s => s.AddGrpcClient<Probe.ProbeClient>(o => o.Address = server.Address)
            .AddGrpcCircuitBreaker(key, o => o.ConsecutiveFailureThreshold = 1, g =>
            {
                g.Scope = GrpcBreakerScope.Method;
                g.AddFallback<Order, Reply>("/probe.Probe/Unary", static (_, _) => new Reply { Index = -1 });
            }));
        Probe.ProbeClient client = services.GetRequiredService<Probe.ProbeClient>();

        await Assert.ThrowsAsync<RpcException>(async () => await client.UnaryAsync(Calls.Fail(StatusCode.Unavailable), Calls.For(key)));
        Assert.Equal(-1, (await client.UnaryAsync(new Order(), Calls.For(key))).Index);
        using AsyncServerStreamingCall<Reply> stream = client.ServerStream(new Order { Replies = 1 }, Calls.For(key));
        Assert.True(await stream.ResponseStream.MoveNext(default));
        Assert.False(await stream.ResponseStream.MoveNext(default));

        Assert.True(_registry.TryGet($"{key}:/probe.Probe/Unary", out CircuitBreaker? unary));
        Assert.True(_registry.TryGet($"{key}:/probe.Probe/ServerStream", out CircuitBreaker? streaming));
        Assert.Equal((CircuitState.Open, CircuitState.Closed), (unary.State, streaming.State));
        Assert.Equal((key, key), (unary.Group, streaming.Group));
        Assert.Equal(2, server.Arrivals(key));
    }

    [Fact]
    public async Task Per_method_breakers_are_bounded_by_the_groups_MaxKeys()
    {
        const string key = "di-method-bounded";
        await using ServiceProvider services = Services(s => s.AddGrpcClient<Probe.ProbeClient>(o => o.Address = server.Address)
            .AddGrpcCircuitBreaker(key, o => o.MaxKeys = 1, g => g.Scope = GrpcBreakerScope.Method));
        Probe.ProbeClient client = services.GetRequiredService<Probe.ProbeClient>();

        await client.UnaryAsync(new Order(), Calls.For(key));
        using (AsyncServerStreamingCall<Reply> stream = client.ServerStream(new Order(), Calls.For(key)))
        {
            Assert.False(await stream.ResponseStream.MoveNext(default));
        }

        Assert.Equal(
            [$"{key}:*", $"{key}:/probe.Probe/Unary"],
            _registry.Where(static b => b.Group == key).Select(static b => b.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Per_host_breakers_are_shared_by_the_clients_of_a_host_and_kept_apart_from_another_host()
    {
        const string key = "di-host";
        await using ServiceProvider services = Services(s =>
        {
            s.AddGrpcClient<Probe.ProbeClient>("live-a", o => o.Address = server.Address)
                .AddGrpcCircuitBreaker(key, o => o.ConsecutiveFailureThreshold = 1, g => g.Scope = GrpcBreakerScope.Host);
            s.AddGrpcClient<Probe.ProbeClient>("live-b", o => o.Address = server.Address)
                .AddGrpcCircuitBreaker(key, o => o.ConsecutiveFailureThreshold = 1, g => g.Scope = GrpcBreakerScope.Host);
            s.AddGrpcClient<Probe.ProbeClient>("dead", o => o.Address = server.RefusingAddress)
                .AddGrpcCircuitBreaker(key, o => o.ConsecutiveFailureThreshold = 1, g => g.Scope = GrpcBreakerScope.Host);
        });
        GrpcClientFactory factory = services.GetRequiredService<GrpcClientFactory>();

        await Assert.ThrowsAsync<RpcException>(async () => await factory.CreateClient<Probe.ProbeClient>("dead").UnaryAsync(new Order(), Calls.For(key)));
        await factory.CreateClient<Probe.ProbeClient>("live-a").UnaryAsync(new Order(), Calls.For(key));
        await Assert.ThrowsAsync<RpcException>(async () => await factory.CreateClient<Probe.ProbeClient>("live-a").UnaryAsync(Calls.Fail(StatusCode.Internal), Calls.For(key)));
        RpcException rejected = await Assert.ThrowsAsync<RpcException>(
            async () => await factory.CreateClient<Probe.ProbeClient>("live-b").UnaryAsync(new Order(), Calls.For(key)));

        Assert.Equal($"{key}:{server.Address.Authority}", Calls.Rejection(rejected).CircuitName);
        Assert.True(_registry.TryGet($"{key}:{server.RefusingAddress.Authority}", out CircuitBreaker? dead));
        Assert.Equal(CircuitState.Open, dead.State);
        Assert.Equal(2, server.Arrivals(key));
    }

    [Fact]
    public async Task Http_and_gRPC_breakers_register_side_by_side_in_one_project()
    {
        // This project references Breaker.Http as well: with one name for both extensions this file would not compile (CS0121).
        const string grpcKey = "side-grpc", httpKey = "side-http";
        await using ServiceProvider services = Services(s =>
        {
            s.AddGrpcClient<Probe.ProbeClient>(o => o.Address = server.Address)
                .AddGrpcCircuitBreaker(grpcKey, o => o.ConsecutiveFailureThreshold = 1);
            s.AddHttpClient("refusing", c => c.BaseAddress = server.RefusingAddress)
                .AddCircuitBreaker(httpKey, o => o.ConsecutiveFailureThreshold = 1);
        });
        Probe.ProbeClient client = services.GetRequiredService<Probe.ProbeClient>();
        HttpClient http = services.GetRequiredService<IHttpClientFactory>().CreateClient("refusing");

        await Assert.ThrowsAsync<RpcException>(async () => await client.UnaryAsync(Calls.Fail(StatusCode.Unavailable), Calls.For(grpcKey)));
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync("/"));
        RpcException grpcRejected = await Assert.ThrowsAsync<RpcException>(async () => await client.UnaryAsync(new Order(), Calls.For(grpcKey)));
        BrokenCircuitException httpRejected = await Assert.ThrowsAsync<BrokenCircuitException>(() => http.GetAsync("/"));

        Assert.Equal(grpcKey, Calls.Rejection(grpcRejected).CircuitName);
        Assert.Equal(httpKey, httpRejected.CircuitName);
        Assert.Equal(1, server.Arrivals(grpcKey));
    }

    private ServiceProvider Services(Action<IServiceCollection> configure)
    {
        var services = new ServiceCollection();
        services.AddSingleton(_registry);
        configure(services);
        return services.BuildServiceProvider();
    }
}
