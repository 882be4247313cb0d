using System;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Breaker.Testing.Tests;

/// <summary>
/// Code that holds a breaker of the default registry itself (Execute users, Breaker.Http's handler) is isolated too: its
/// calls resolve to the scope's breaker of the same name.
/// </summary>
public sealed class SharedBreakerTests
{
    private static readonly CircuitBreaker Inventory =
        CircuitBreakerRegistry.Default.GetOrAdd("testing-execute", static o => o.ConsecutiveFailureThreshold = 2);

    private static readonly CircuitBreaker Payments =
        CircuitBreakerRegistry.Default.GetOrAdd("testing-http", static o => o.ConsecutiveFailureThreshold = 1);

    [Fact]
    public async Task A_captured_breakers_Execute_and_ExecuteAsync_use_the_scopes_breaker()
    {
        using var scope = new BreakerTestScope();

        Assert.Throws<InvalidOperationException>(() => Inventory.Execute(static () => throw new InvalidOperationException("down")));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await Inventory.ExecuteAsync<int>(static _ => throw new InvalidOperationException("down")));
        Assert.Throws<BrokenCircuitException>(() => Inventory.Execute(static () => 1));

        ScopedBreaker mine = scope.Breaker("testing-execute");
        mine.AssertTransitions(CircuitState.Open);
        mine.AssertCalls(failures: 2, rejections: 1);
        Assert.Equal(0, Inventory.GetMetrics().TotalCalls);
    }

    [Fact]
    public async Task The_HttpClient_handler_guards_requests_with_the_scopes_breaker()
    {
        using var scope = new BreakerTestScope();
        using var client = new HttpClient(new CircuitBreakerHandler(Payments) { InnerHandler = new Answering(HttpStatusCode.ServiceUnavailable) });

        using HttpResponseMessage failed = await client.GetAsync(new Uri("http://127.0.0.1/pay"));
        await Assert.ThrowsAsync<BrokenCircuitException>(() => client.GetAsync(new Uri("http://127.0.0.1/pay")));

        ScopedBreaker mine = scope.Breaker("testing-http");
        Assert.Equal(FailureKind.HttpError, Assert.Single(mine.Failures).Kind);
        mine.AssertCalls(failures: 1, rejections: 1);
        Assert.Equal(CircuitState.Closed, Payments.State);
    }

    [Fact]
    public void A_keyed_groups_breaker_stands_in_with_its_group()
    {
        CircuitBreaker shared = CircuitBreakerRegistry.Default
            .GetOrAddGroup<string>("testing-hosts", static o => o.ConsecutiveFailureThreshold = 1)
            .GetBreaker("api.example");
        using var scope = new BreakerTestScope();

        Assert.Throws<InvalidOperationException>(() => shared.Execute(static () => throw new InvalidOperationException("down")));

        ScopedBreaker mine = scope.Breaker("testing-hosts:api.example");
        Assert.Equal("testing-hosts", mine.Breaker.Group);
        mine.AssertState(CircuitState.Open);
        Assert.Equal(CircuitState.Closed, shared.State);
    }

    [Fact]
    public void ResetAll_closes_every_breaker_of_a_registry_outside_scopes()
    {
        var registry = new CircuitBreakerRegistry();
        registry.GetOrAdd("a").Isolate();
        registry.GetOrAdd("b", static o => o.ConsecutiveFailureThreshold = 1).TryAcquire().RecordFailure(null);

        registry.ResetAll();

        Assert.All(registry, static b => Assert.Equal(CircuitState.Closed, b.State));
    }

    private sealed class Answering(HttpStatusCode status) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(status) { RequestMessage = request });
    }
}
