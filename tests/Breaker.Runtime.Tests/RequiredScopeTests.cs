using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Runtime.Tests;

/// <summary>
/// CircuitBreakerScope.Required is process-wide: these tests run alone, after every parallel one, and set it back.
/// </summary>
[Collection(RequiredScopeTests.Collection)]
public sealed class RequiredScopeTests : IDisposable
{
    public const string Collection = "Required circuit breaker scopes";

    public RequiredScopeTests() => CircuitBreakerScope.Required = true;

    public void Dispose() => CircuitBreakerScope.Required = false;

    [Fact]
    public void A_call_through_a_shared_breaker_with_no_scope_throws_and_says_why()
    {
        CircuitBreaker shared = ScopeTests.Shared();

        InvalidOperationException resolved = Assert.Throws<InvalidOperationException>(() => CircuitBreakerScope.Resolve(shared));
        Assert.Throws<InvalidOperationException>(() => shared.Execute(static () => 1));
        Assert.Throws<InvalidOperationException>(() => shared.TryAcquire());

        Assert.Equal(
            $"A call through the shared circuit breaker '{shared.Name}' found no circuit breaker scope, and CircuitBreakerScope.Required is set. "
            + "The call runs outside its test's flow (a thread or callback that does not carry the ExecutionContext: ThreadPool.UnsafeQueueUserWorkItem, "
            + "ExecutionContext.SuppressFlow, a server that does not preserve it), or its test made no scope.",
            resolved.Message);
        Assert.Equal(0, shared.GetMetrics().TotalCalls);
    }

    [Fact]
    public async Task Work_that_drops_the_execution_context_fails_loudly_instead_of_using_the_shared_breaker()
    {
        CircuitBreaker shared = ScopeTests.Shared();
        using var scope = new CircuitBreakerScope(new FakeTimeProvider());
        Assert.Equal(1, shared.Execute(static () => 1));

        Task<int> unflowed;
        using (ExecutionContext.SuppressFlow())
        {
            unflowed = Task.Run(() => shared.Execute(static () => 2));
        }

        await Assert.ThrowsAsync<InvalidOperationException>(() => unflowed.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(0, shared.GetMetrics().TotalCalls);
    }

    [Fact]
    public void A_keyed_lookup_in_a_shared_group_with_no_scope_throws_and_in_a_scope_uses_the_scopes_group()
    {
        string name = TestBreakers.UniqueName("required-group");
        CircuitBreakerKeys<string> tenants = CircuitBreakerRegistry.Default.GetOrAddGroup<string>(name);

        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => tenants.GetBreaker("acme"));
        Assert.Throws<InvalidOperationException>(() => tenants.GetSharedBreaker());

        Assert.StartsWith($"A call through the shared circuit breaker '{name}' found no circuit breaker scope", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, tenants.Group.Count);
        using var scope = new CircuitBreakerScope(new FakeTimeProvider());
        Assert.Equal($"{name}:acme", tenants.GetBreaker("acme").Name);
        Assert.Equal(0, tenants.Group.Count);
        Assert.True(scope.Registry.TryGetGroup(name, out CircuitBreakerGroup? scoped));
        Assert.Equal(1, scoped.Count);
    }

    [Fact]
    public void Breakers_that_are_not_shared_need_no_scope()
    {
        var own = new CircuitBreaker(TestBreakers.UniqueName("own"));

        Assert.Equal(1, own.Execute(static () => 1));
        Assert.True(own.TryAcquire().IsGranted);
    }
}

[CollectionDefinition(RequiredScopeTests.Collection, DisableParallelization = true)]
public sealed class RequiredScopeCollection;
