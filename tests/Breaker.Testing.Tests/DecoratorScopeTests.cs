using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Breaker.Testing.Tests.Services;

namespace Breaker.Testing.Tests;

/// <summary>A generated decorator inside a <see cref="BreakerTestScope"/>: its breakers are the scope's, as a partial method's are.</summary>
public sealed class DecoratorScopeTests
{
    [Fact]
    public void A_decorators_calls_in_a_scope_count_on_the_scopes_breaker_found_by_decorator_and_method_and_leave_the_shared_one_alone()
    {
        var backend = new PricingBackend { Down = true };
        IPricing pricing = new PricingBreaker(backend);
        using var scope = new BreakerTestScope();

        Assert.Throws<InvalidOperationException>(() => pricing.Price("abc"));
        Assert.Throws<InvalidOperationException>(() => pricing.Price("abc"));
        Assert.Throws<BrokenCircuitException>(() => pricing.Price("abc"));

        ScopedBreaker price = scope.Breaker<PricingBreaker>(nameof(IPricing.Price));
        Assert.Equal("testing-pricing.Price", price.Breaker.Name);
        price.AssertState(CircuitState.Open);
        Assert.Same(scope.Time, price.Breaker.TimeProvider);
        Assert.Equal(2, backend.Calls);
        Assert.True(CircuitBreakerRegistry.Default.TryGet("testing-pricing.Price", out CircuitBreaker? shared));
        Assert.Equal((CircuitState.Closed, 0L), (shared.State, shared.GetMetrics().TotalCalls));

        backend.Down = false;
        scope.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(3m, pricing.Price("abc"));
    }

    [Fact]
    public async Task A_scope_can_open_a_decorators_stream_breaker_by_name_and_the_inner_instance_is_never_reached()
    {
        var backend = new PricingBackend();
        IPricing pricing = new PricingBreaker(backend);
        using var scope = new BreakerTestScope();

        scope.Breaker("testing-pricing.HistoryAsync").Open();

        await using IAsyncEnumerator<decimal> history = pricing.HistoryAsync("abc", CancellationToken.None).GetAsyncEnumerator();
        await Assert.ThrowsAsync<BrokenCircuitException>(async () => await history.MoveNextAsync());
        Assert.Equal(0, backend.Calls);
        Assert.Equal(3m, pricing.Price("abc"));
    }
}
