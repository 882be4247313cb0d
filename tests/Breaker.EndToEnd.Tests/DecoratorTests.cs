using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Breaker.EndToEnd.Tests.Services;

namespace Breaker.EndToEnd.Tests;

/// <summary>Generated decorators of an interface the user does not own, compiled by this project and run.</summary>
public class DecoratorTests
{
    private static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Every_member_shape_reaches_the_inner_instance_and_the_guarded_ones_count_on_the_decorators_breaker()
    {
        CircuitBreaker breaker = Fresh("e2e-decorated");
        CircuitBreakerMetrics before = breaker.GetMetrics();
        var backend = new InventoryBackend();
        IInventoryApi api = new InventoryBreaker(backend);
        string? restocked = null;
        EventHandler<string> handler = (_, sku) => restocked = sku;

        api.Reserve("abc", 2);
        Assert.Equal(3, api.Count("abc"));
        Assert.Equal(5, api.Count("abc", "nl"));
        Assert.True(api.TryCount("abcd", out int counted));
        Assert.Equal(4, counted);
        await api.RefreshAsync(CancellationToken.None);
        Assert.Equal(new Item("xy", 2), await api.GetItemAsync("xy", CancellationToken.None));
        await api.PingAsync();
        Assert.Equal(42, await api.TotalAsync());
        Assert.Equal("sku:abc", api.Describe("abc", static s => "sku:" + s));
        Assert.True(api.IsHealthy());

        Assert.Equal(before.SuccessfulCalls + 10, breaker.GetMetrics().SuccessfulCalls);

        // Properties, indexers and events are forwarded without a breaker.
        api.Region = "asia";
        Assert.Equal("asia", backend.Region);
        Assert.Equal(2, api["ab"]);
        api.Restocked += handler;
        backend.RaiseRestocked("abc");
        api.Restocked -= handler;
        backend.RaiseRestocked("other");
        Assert.Equal("abc", restocked);
        Assert.Equal(before.TotalCalls + 10, breaker.GetMetrics().TotalCalls);
        Assert.Equal(11, backend.Calls);
    }

    [Fact]
    public async Task Failures_of_any_member_open_the_one_breaker_and_every_member_is_rejected_without_reaching_the_inner_instance()
    {
        CircuitBreaker breaker = Fresh("e2e-decorated");
        var backend = new InventoryBackend { Failure = new InvalidOperationException("down") };
        IInventoryApi api = new InventoryBreaker(backend);

        Assert.Throws<InvalidOperationException>(() => api.Count("a"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => api.GetItemAsync("a", CancellationToken.None));
        Assert.Equal(CircuitState.Open, breaker.State);
        int reached = backend.Calls;
        long rejectedBefore = breaker.GetMetrics().RejectedCalls;

        BrokenCircuitException rejected = Assert.Throws<BrokenCircuitException>(() => api.Reserve("a", 1));
        Assert.Equal("e2e-decorated", rejected.CircuitName);
        await Assert.ThrowsAsync<BrokenCircuitException>(async () => await api.TotalAsync());
        Assert.Equal(reached, backend.Calls);
        Assert.Equal(rejectedBefore + 2, breaker.GetMetrics().RejectedCalls);

        backend.Failure = null;
        TestClock.Time.Advance(BreakDuration);
        for (int i = 0; i < breaker.Options.SuccessThreshold; i++)
        {
            Assert.Equal(1, api.Count("a"));
        }

        Assert.Equal(CircuitState.Closed, breaker.State);
    }

    [Fact]
    public void PerMethod_gives_each_method_its_own_breaker_shared_by_its_overloads()
    {
        var backend = new InventoryBackend { Failure = new InvalidOperationException("down") };
        IInventoryApi api = new InventoryBreakerPerMethod(backend);
        CircuitBreaker count = Fresh("e2e-decorated-each.Count");

        Assert.Throws<InvalidOperationException>(() => api.Count("a"));
        Assert.Equal(CircuitState.Open, count.State);

        // The other overload shares the method's breaker; another method has its own, still closed.
        Assert.Throws<BrokenCircuitException>(() => api.Count("a", "b"));
        backend.Failure = null;
        Assert.True(api.IsHealthy());
        Assert.Equal(CircuitState.Closed, TestClock.Breaker("e2e-decorated-each.IsHealthy").State);
        Assert.False(CircuitBreakerRegistry.Default.TryGet("e2e-decorated-each", out _));
    }

    [Fact]
    public async Task A_customised_member_has_its_own_breaker_key_and_fallback()
    {
        var backend = new InventoryBackend { Failure = new InvalidOperationException("down") };
        IInventoryApi api = new CustomisedInventoryBreaker(backend);

        Assert.Equal(new Item("broken", 0), await api.GetItemAsync("broken", CancellationToken.None));
        CircuitBreakerGroup items = Assert.Single(CircuitBreakerRegistry.Default.Groups, static g => g.Name == "e2e-decorated-items");
        Assert.Equal(CircuitState.Open, Assert.Single(items.GetBreakers()).State);
        int reached = backend.Calls;

        // The open key answers with the fallback without reaching the inner instance; another key still reaches it.
        Assert.Equal(new Item("broken", 0), await api.GetItemAsync("broken", CancellationToken.None));
        Assert.Equal(reached, backend.Calls);
        backend.Failure = null;
        Assert.Equal(new Item("fine", 4), await api.GetItemAsync("fine", CancellationToken.None));
        Assert.Equal(
            new[] { ("e2e-decorated-items:broken", CircuitState.Open), ("e2e-decorated-items:fine", CircuitState.Closed) },
            items.GetBreakers().Select(static b => (b.Name, b.State)).OrderBy(static b => b.Name, StringComparer.Ordinal));
    }

    [Fact]
    public void A_member_declared_partial_without_an_attribute_is_forwarded_unguarded_and_a_hand_written_one_is_left_alone()
    {
        CircuitBreaker breaker = Fresh("e2e-decorated-custom");
        long callsBefore = breaker.GetMetrics().TotalCalls;
        var backend = new InventoryBackend { Failure = new InvalidOperationException("down") };
        IInventoryApi api = new CustomisedInventoryBreaker(backend);

        for (int i = 0; i < 3; i++)
        {
            Assert.Throws<InvalidOperationException>(() => api.IsHealthy());
        }

        Assert.Equal(-1, api.Count("a", "b"));
        Assert.Equal(3, backend.Calls);
        Assert.Equal(callsBefore, breaker.GetMetrics().TotalCalls);
        Assert.Equal(CircuitState.Closed, breaker.State);
    }

    [Fact]
    public void The_decorators_Ignores_applies_to_every_generated_member()
    {
        CircuitBreaker breaker = Fresh("e2e-decorated-custom");
        CircuitBreakerMetrics before = breaker.GetMetrics();
        var backend = new InventoryBackend { Failure = new ArgumentException("bad sku") };
        IInventoryApi api = new CustomisedInventoryBreaker(backend);

        Assert.Throws<ArgumentException>(() => api.Count("a"));
        Assert.Throws<ArgumentException>(() => api.Reserve("a", 1));

        // Ignored: one failure would open it (ConsecutiveFailureThreshold = 1).
        Assert.Equal(CircuitState.Closed, breaker.State);
        Assert.Equal((before.FailedCalls, before.IgnoredCalls + 2), (breaker.GetMetrics().FailedCalls, breaker.GetMetrics().IgnoredCalls));
    }

    [Fact]
    public void A_decorator_with_its_own_constructor_forwards_to_its_field_of_the_interface_type()
    {
        var backend = new InventoryBackend();
        var decorator = new InventoryBreakerWithOwnConstructor(backend, "primary");

        Assert.Equal(3, ((IInventoryApi)decorator).Count("abc"));
        Assert.Equal("primary", decorator.Label);
        Assert.Equal(1, backend.Calls);
        Assert.Equal(1, TestClock.Metrics("e2e-decorated-own-constructor").SuccessfulCalls);
    }

    [Fact]
    public void The_generated_constructor_refuses_a_null_inner_instance()
    {
        ArgumentNullException error = Assert.Throws<ArgumentNullException>(() => new InventoryBreaker(null!));

        Assert.Equal("inner", error.ParamName);
    }

    [Fact]
    public void A_decorated_call_in_the_closed_state_allocates_nothing()
    {
        Fresh("e2e-decorated");
        IInventoryApi api = new InventoryBreaker(new InventoryBackend());
        api.Count("warm");

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1_000; i++)
        {
            api.Count("abc");
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Every_guarded_member_of_a_decorator_is_declared_by_name_type_and_method()
    {
        var declared = CircuitBreakerRegistry.Default.Declarations
            .Where(static d => d.DeclaringType == "Breaker.EndToEnd.Tests.Services.InventoryBreaker")
            .Select(static d => (d.Name, MethodName: d.MethodName ?? string.Empty))
            .ToList();

        Assert.Equal(
            new[] { "Count", "Describe", "GetItemAsync", "IsHealthy", "PingAsync", "RefreshAsync", "Reserve", "TotalAsync", "TryCount" }.Select(static m => ("e2e-decorated", m)),
            declared.OrderBy(static d => d.MethodName, StringComparer.Ordinal));
        Assert.Contains(CircuitBreakerRegistry.Default.Declarations, static d => d.Name == "e2e-decorated-each.GetItemAsync" && d.MethodName == "GetItemAsync");
    }

    /// <summary>The declared breaker (listing the registry creates it with the decorator's settings), closed and with an empty window.</summary>
    private static CircuitBreaker Fresh(string name)
    {
        CircuitBreaker breaker = Assert.Single(CircuitBreakerRegistry.Default, b => b.Name == name);
        breaker.Reset();
        return breaker;
    }

    [Fact]
    public async Task The_generated_members_repeat_the_interfaces_default_values_so_calls_on_the_decorators_own_type_may_omit_them()
    {
        var decorator = new FeedDescribeBreaker(new FeedBackend());

        Assert.Equal("all|10|0.5|1.25|Monday|null|null", await decorator.DescribeAsync());
    }
}
