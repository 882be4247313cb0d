using System;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Runtime.Tests;

/// <summary>
/// A test scope owns the keyed groups its calls resolve: their keys, bound, evictions and shared breaker, and the group's
/// name configures the scope's keys (issue 26, findings 1 and 2).
/// </summary>
public sealed class ScopedGroupTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void A_scope_sees_none_of_another_scopes_keys_nor_its_full_bound_nor_its_open_shared_breaker()
    {
        string name = TestBreakers.UniqueName("tenants");
        CircuitBreakerKeys<string> shared = CircuitBreakerRegistry.Default.GetOrAddGroup<string>(name, static o =>
        {
            o.MaxKeys = 2;
            o.ConsecutiveFailureThreshold = 1;
        });
        using (new CircuitBreakerScope(_time))
        {
            // Test A: two keys fill the bound, a third shares the group's breaker and opens it.
            foreach (string key in new[] { "a1", "a2", "a3" })
            {
                CircuitBreakerScope.Resolve(shared.GetBreaker(key)).Fail();
            }

            Assert.Equal(CircuitState.Open, CircuitBreakerScope.Resolve(shared.GetSharedBreaker()).State);
        }

        using var b = new CircuitBreakerScope(_time);
        CircuitBreaker b1 = CircuitBreakerScope.Resolve(shared.GetBreaker("b1"));
        CircuitBreaker b2 = CircuitBreakerScope.Resolve(shared.GetBreaker("b2"));

        // Test B, as if run alone: both keys have breakers of their own, closed, in its scope.
        Assert.Equal((name + ":b1", name + ":b2"), (b1.Name, b2.Name));
        Assert.Equal((CircuitState.Closed, CircuitState.Closed), (b1.State, b2.State));
        Assert.True(b.Registry.TryGetGroup(name, out CircuitBreakerGroup? scoped));
        Assert.Equal(2, scoped.Count);
        Assert.False(shared.TryGetBreaker("a1", out _));
        Assert.True(shared.TryGetBreaker("b1", out CircuitBreaker? found));
        Assert.Same(b1, found);

        // Nothing reached the default registry's group.
        Assert.Equal(0, shared.Group.Count);
        Assert.Null(shared.Group.SharedBreaker);
        Assert.False(CircuitBreakerRegistry.Default.TryGet(name + ":a1", out _));
    }

    [Fact]
    public void Configuring_the_groups_name_in_a_scope_reaches_its_keys_breakers_live_and_new()
    {
        string name = TestBreakers.UniqueName("catalog");
        CircuitBreakerKeys<string> shared = CircuitBreakerRegistry.Default.GetOrAddGroup<string>(name, static o => o.ConsecutiveFailureThreshold = 1);
        CircuitBreakerRegistry.Default.Configure(name, static o => o.SuccessThreshold = 4);
        using var scope = new CircuitBreakerScope(_time);
        CircuitBreaker live = CircuitBreakerScope.Resolve(shared.GetBreaker("t1"));

        scope.Registry.Configure(name, static o => o.ConsecutiveFailureThreshold = 5);
        CircuitBreaker later = CircuitBreakerScope.Resolve(shared.GetBreaker("t2"));

        // The code's options, the shared registry's configuration, then the scope's.
        Assert.Equal((5, 4), (live.Options.ConsecutiveFailureThreshold, live.Options.SuccessThreshold));
        Assert.Equal((5, 4), (later.Options.ConsecutiveFailureThreshold, later.Options.SuccessThreshold));
        live.Fail(4);
        Assert.Equal(CircuitState.Closed, live.State);

        // The scope's group can be changed by its name: a break of the whole group is the scope's alone.
        Assert.True(scope.Registry.TryGetGroup(name, out CircuitBreakerGroup? group));
        Assert.Equal(5, group.Options.ConsecutiveFailureThreshold);
        Assert.Equal(1, shared.Group.Options.ConsecutiveFailureThreshold);
    }

    [Fact]
    public void Outside_any_scope_a_key_of_a_default_registry_group_is_the_shared_groups_own()
    {
        string name = TestBreakers.UniqueName("unscoped");
        CircuitBreakerKeys<string> shared = CircuitBreakerRegistry.Default.GetOrAddGroup<string>(name);
        using (new CircuitBreakerScope(_time))
        {
            // Scopes are in use in this process from now on: lookups ask for a scope's stand-in group before their own.
        }

        CircuitBreaker breaker = shared.GetBreaker("k");

        Assert.Same(breaker, CircuitBreakerScope.Resolve(breaker));
        Assert.Same(breaker, shared.GetBreaker("k"));
        Assert.Equal(1, shared.Group.Count);
    }

    [Fact]
    public void A_disposed_scopes_flow_cannot_reach_a_group()
    {
        string name = TestBreakers.UniqueName("late");
        CircuitBreakerKeys<string> shared = CircuitBreakerRegistry.Default.GetOrAddGroup<string>(name);
        var scope = new CircuitBreakerScope(_time);
        System.Threading.ExecutionContext context = System.Threading.ExecutionContext.Capture()!;
        scope.Dispose();

        Exception? error = null;
        System.Threading.ExecutionContext.Run(context, _ => error = Record.Exception(() => shared.GetBreaker("k")), null);

        Assert.IsType<ObjectDisposedException>(error);
        Assert.Equal(0, shared.Group.Count);
    }
}
