using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Runtime.Tests;

/// <summary>
/// CircuitBreakerScope: calls through a breaker of the default registry use the scope's breaker of that name in the scope's
/// flow, and everything a scope cannot isolate fails loudly.
/// </summary>
public sealed class ScopeTests
{
    private static readonly TimeSpan Ceiling = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Without_a_scope_a_call_uses_the_shared_breaker()
    {
        CircuitBreaker shared = Shared();

        Assert.Same(shared, CircuitBreakerScope.Resolve(shared));
        Assert.Null(CircuitBreakerScope.Current);
    }

    [Fact]
    public void In_a_scope_a_call_uses_the_scopes_breaker_of_that_name_with_the_shared_options_on_the_scopes_clock()
    {
        string name = TestBreakers.UniqueName("scoped");
        CircuitBreaker shared = CircuitBreakerRegistry.Default.GetOrAdd(name, static o => { o.FailureRatio = 0.25; o.BreakDuration = TimeSpan.FromSeconds(5); });
        CircuitBreakerRegistry.Default.Configure(name, static o => o.SuccessThreshold = 7);
        using var scope = new CircuitBreakerScope(_time);
        scope.Registry.Configure(name, static o => o.BreakDuration = TimeSpan.FromSeconds(1));

        CircuitBreaker resolved = CircuitBreakerScope.Resolve(shared);

        Assert.NotSame(shared, resolved);
        Assert.Same(scope, CircuitBreakerScope.Current);
        Assert.Same(resolved, CircuitBreakerScope.Resolve(shared));
        Assert.True(scope.Registry.TryGet(name, out CircuitBreaker? inRegistry));
        Assert.Same(resolved, inRegistry);
        Assert.Equal(name, resolved.Name);
        Assert.Same(_time, resolved.TimeProvider);
        // The code's options, then the shared registry's configuration, then the scope's own.
        Assert.Equal((0.25, 7, TimeSpan.FromSeconds(1)), (resolved.Options.FailureRatio, resolved.Options.SuccessThreshold, resolved.Options.BreakDuration));

        // Configuring the scope's live breaker again keeps the layers under it; the shared breaker never changes.
        scope.Registry.Configure(name, static o => o.BreakDuration = TimeSpan.FromSeconds(2));
        Assert.Equal((0.25, 7, TimeSpan.FromSeconds(2)), (resolved.Options.FailureRatio, resolved.Options.SuccessThreshold, resolved.Options.BreakDuration));
        Assert.Equal((7, TimeSpan.FromSeconds(5)), (shared.Options.SuccessThreshold, shared.Options.BreakDuration));
    }

    [Fact]
    public void A_scope_made_breaker_of_a_declared_name_has_the_declared_options_and_is_the_one_calls_use()
    {
        string name = TestBreakers.UniqueName("declared");
        CircuitBreakerRegistry.Default.Declare(new CircuitBreakerDeclaration(name, new CircuitBreakerOptions { MinimumThroughput = 3 }));
        using var scope = new CircuitBreakerScope(_time);

        CircuitBreaker early = scope.Registry.GetOrAdd(name);
        Assert.True(CircuitBreakerRegistry.Default.TryGet(name, out CircuitBreaker? shared));

        Assert.Equal(3, early.Options.MinimumThroughput);
        Assert.Same(early, CircuitBreakerScope.Resolve(shared));
    }

    [Fact]
    public void Breakers_that_are_not_the_default_registrys_are_never_redirected()
    {
        var own = new CircuitBreaker(TestBreakers.UniqueName("own"), timeProvider: _time);
        CircuitBreaker other = new CircuitBreakerRegistry(_time).GetOrAdd(TestBreakers.UniqueName("other"));
        using var scope = new CircuitBreakerScope(_time);

        Assert.Same(own, CircuitBreakerScope.Resolve(own));
        Assert.Same(other, CircuitBreakerScope.Resolve(other));
        own.Isolate(); // not shared: changing it by hand is allowed in a scope
        Assert.Equal(CircuitState.Isolated, own.State);
    }

    [Fact]
    public async Task Execute_and_ExecuteAsync_through_a_shared_breaker_record_on_the_scopes_breaker()
    {
        CircuitBreaker shared = Shared();
        using var scope = new CircuitBreakerScope(_time);

        Assert.Equal(1, shared.Execute(static () => 1));
        Assert.Throws<InvalidOperationException>(() => shared.Execute(static () => throw new InvalidOperationException("down")));
        Assert.Equal(2, await shared.ExecuteAsync(static _ => ValueTask.FromResult(2)));

        CircuitBreakerMetrics mine = CircuitBreakerScope.Resolve(shared).GetMetrics();
        Assert.Equal((2, 1), (mine.SuccessfulCalls, mine.FailedCalls));
        Assert.Equal(0, shared.GetMetrics().TotalCalls);
    }

    [Fact]
    public async Task Two_scopes_in_parallel_flows_never_see_each_others_breaker()
    {
        CircuitBreaker shared = Shared(static o => o.ConsecutiveFailureThreshold = 3);
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Both flows are inside their scopes at once: each trips its own breaker, waits for the other to have done the same,
        // then looks.
        Task<CircuitBreakerMetrics> tripping = Task.Run(async () =>
        {
            using var scope = new CircuitBreakerScope(new FakeTimeProvider());
            for (int i = 0; i < 3; i++)
            {
                Assert.ThrowsAny<Exception>(() => shared.Execute(static () => throw new InvalidOperationException("down")));
            }

            first.SetResult();
            await second.Task.WaitAsync(Ceiling);
            return CircuitBreakerScope.Resolve(shared).GetMetrics();
        });
        Task<CircuitBreakerMetrics> healthy = Task.Run(async () =>
        {
            using var scope = new CircuitBreakerScope(new FakeTimeProvider());
            await first.Task.WaitAsync(Ceiling);
            Assert.Equal(5, shared.Execute(static () => 5));
            second.SetResult();
            return CircuitBreakerScope.Resolve(shared).GetMetrics();
        });

        CircuitBreakerMetrics[] seen = await Task.WhenAll(tripping, healthy);

        Assert.Equal((CircuitState.Open, 3, 0), (seen[0].State, seen[0].FailedCalls, seen[0].SuccessfulCalls));
        Assert.Equal((CircuitState.Closed, 0, 1), (seen[1].State, seen[1].FailedCalls, seen[1].SuccessfulCalls));
        Assert.Equal((CircuitState.Closed, 0), (shared.State, shared.GetMetrics().TotalCalls));
    }

    [Fact]
    public void A_nested_scope_starts_afresh_and_its_disposal_brings_the_outer_one_back()
    {
        CircuitBreaker shared = Shared();
        using var outer = new CircuitBreakerScope(_time);
        CircuitBreaker outerBreaker = CircuitBreakerScope.Resolve(shared);
        outerBreaker.Isolate();

        using (var inner = new CircuitBreakerScope(_time))
        {
            Assert.Same(inner, CircuitBreakerScope.Current);
            CircuitBreaker innerBreaker = CircuitBreakerScope.Resolve(shared);
            Assert.NotSame(outerBreaker, innerBreaker);
            Assert.Equal(CircuitState.Closed, innerBreaker.State);
        }

        Assert.Same(outer, CircuitBreakerScope.Current);
        Assert.Same(outerBreaker, CircuitBreakerScope.Resolve(shared));
        Assert.Equal(CircuitState.Isolated, outerBreaker.State);
    }

    [Fact]
    public void Disposing_twice_does_nothing_more()
    {
        using var outer = new CircuitBreakerScope(_time);
        var scope = new CircuitBreakerScope(_time);

        scope.Dispose();
        scope.Dispose();

        Assert.True(scope.IsDisposed);
        Assert.Same(outer, CircuitBreakerScope.Current);
    }

    [Fact]
    public void Disposing_an_outer_scope_while_an_inner_one_is_current_throws_and_changes_nothing()
    {
        CircuitBreaker shared = Shared();
        var outer = new CircuitBreakerScope(_time);
        var inner = new CircuitBreakerScope(_time);

        InvalidOperationException error = Assert.Throws<InvalidOperationException>(outer.Dispose);

        Assert.Contains("dispose the inner scope first", error.Message, StringComparison.Ordinal);
        Assert.False(outer.IsDisposed);
        Assert.Same(inner, CircuitBreakerScope.Current);
        inner.Dispose();
        Assert.Same(outer, CircuitBreakerScope.Current);
        Assert.NotSame(shared, CircuitBreakerScope.Resolve(shared));
        outer.Dispose();
        Assert.Null(CircuitBreakerScope.Current);
    }

    [Fact]
    public async Task Work_that_outlives_its_scope_fails_loudly_instead_of_touching_the_shared_breaker()
    {
        CircuitBreaker shared = Shared();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<int> leaked;
        using (new CircuitBreakerScope(_time))
        {
            leaked = Task.Run(async () =>
            {
                await release.Task;
                return shared.Execute(static () => 1);
            });
        }

        release.SetResult();

        ObjectDisposedException error = await Assert.ThrowsAsync<ObjectDisposedException>(() => leaked.WaitAsync(Ceiling));
        Assert.Contains(shared.Name, error.Message, StringComparison.Ordinal);
        Assert.Contains("outlived it", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, shared.GetMetrics().TotalCalls);
    }

    [Fact]
    public async Task A_scope_made_in_an_async_method_that_returned_is_not_current_and_disposing_it_says_why()
    {
        CircuitBreaker shared = Shared();

        CircuitBreakerScope lost = await MakeScopeAsync(_time);

        Assert.Null(CircuitBreakerScope.Current);
        Assert.Same(shared, CircuitBreakerScope.Resolve(shared));
        InvalidOperationException error = Assert.Throws<InvalidOperationException>(lost.Dispose);
        Assert.Equal(
            "This circuit breaker scope is not current in the flow that disposes it, and no call ever used it: it was made in an "
            + "async method that has returned (xUnit's IAsyncLifetime.InitializeAsync, an async helper, a Task.Run), so the code it "
            + "was meant for ran with the shared breakers. Make the scope where the test runs: in the test, or in the test class's constructor.",
            error.Message);
        Assert.True(lost.IsDisposed);
        lost.Dispose(); // and only once
    }

    [Fact]
    public async Task A_scope_used_in_the_flow_that_made_it_may_be_disposed_from_another()
    {
        CircuitBreaker shared = Shared();
        CircuitBreakerScope scope = await Task.Run(() =>
        {
            var made = new CircuitBreakerScope(_time);
            Assert.NotSame(shared, CircuitBreakerScope.Resolve(shared));
            return made;
        });

        scope.Dispose();

        Assert.True(scope.IsDisposed);
    }

    [Fact]
    public async Task A_scope_used_in_its_own_flow_may_be_disposed_from_a_flow_where_another_scope_is_current()
    {
        CircuitBreaker shared = Shared();
        using var mine = new CircuitBreakerScope(_time);
        CircuitBreakerScope other = await Task.Run(() =>
        {
            var made = new CircuitBreakerScope(_time); // nested in mine, in the task's flow only
            CircuitBreakerScope.Resolve(shared);
            return made;
        });

        other.Dispose(); // not current here, and not the outer scope of the one current here

        Assert.True(other.IsDisposed);
        Assert.Same(mine, CircuitBreakerScope.Current);
    }

    [Fact]
    public void Changing_a_shared_breaker_by_hand_in_a_scope_throws_and_says_what_to_change_instead()
    {
        CircuitBreaker shared = Shared();
        using var scope = new CircuitBreakerScope(_time);

        foreach ((string operation, Action change) in new (string, Action)[]
        {
            ("Isolate", shared.Isolate),
            ("Reset", shared.Reset),
            ("SetMetricsOnly", () => shared.SetMetricsOnly(true)),
            ("StartBreak", shared.StartBreak),
            ("EndBreak", () => shared.EndBreak()),
        })
        {
            InvalidOperationException error = Assert.Throws<InvalidOperationException>(change);
            Assert.Equal(
                $"{operation} on the shared breaker '{shared.Name}' of CircuitBreakerRegistry.Default, in the flow of a circuit breaker scope: "
                + $"the calls here use the scope's own '{shared.Name}', and the shared one belongs to every other test. "
                + "Change the scope's breaker instead (CircuitBreakerScope.Current.Registry, or BreakerTestScope.Breaker(name) in Breaker.Testing).",
                error.Message);
        }

        // Reads stay reads, and the scope's own breaker is the one to change.
        Assert.Equal(CircuitState.Closed, shared.State);
        CircuitBreaker mine = CircuitBreakerScope.Resolve(shared);
        mine.StartBreak();
        Assert.Equal(CircuitState.Open, mine.State);
        Assert.Equal(CircuitState.Closed, shared.State);
    }

    [Fact]
    public void TryAcquire_on_a_shared_breaker_in_a_scope_asks_the_scopes_breaker_as_Execute_does()
    {
        CircuitBreaker shared = Shared();
        using var scope = new CircuitBreakerScope(_time);
        CircuitBreaker mine = CircuitBreakerScope.Resolve(shared);

        shared.Execute(static () => 1);
        shared.TryAcquire().RecordFailure(null);
        shared.TryAcquire().RecordFailure(null);

        Assert.Equal((2, 1), (mine.GetMetrics().FailedCalls, mine.GetMetrics().SuccessfulCalls));
        Assert.Equal(CircuitState.Open, mine.State);
        Assert.False(shared.TryAcquire().IsGranted);
        Assert.Equal(0, shared.GetMetrics().TotalCalls);
        Assert.Equal(CircuitState.Closed, shared.State);
    }

    [Fact]
    public void After_the_scope_a_shared_breaker_can_be_changed_by_hand_again()
    {
        CircuitBreaker shared = Shared();
        using (new CircuitBreakerScope(_time))
        {
            Assert.Throws<InvalidOperationException>(shared.Isolate);
        }

        shared.Isolate();
        Assert.Equal(CircuitState.Isolated, shared.State);
    }

    [Fact]
    public async Task Work_that_does_not_carry_the_execution_context_is_not_isolated_it_uses_the_shared_breaker()
    {
        CircuitBreaker shared = Shared();
        using var scope = new CircuitBreakerScope(_time);

        Task<CircuitBreaker> unflowed;
        using (ExecutionContext.SuppressFlow())
        {
            unflowed = Task.Run(() => CircuitBreakerScope.Resolve(shared));
        }

        Assert.Same(shared, await unflowed.WaitAsync(Ceiling));
        Assert.NotSame(shared, await Task.Run(() => CircuitBreakerScope.Resolve(shared)).WaitAsync(Ceiling));
    }

    internal static CircuitBreaker Shared(Action<CircuitBreakerOptions>? options = null) =>
        CircuitBreakerRegistry.Default.GetOrAdd(TestBreakers.UniqueName("shared"), options ?? (static o => o.ConsecutiveFailureThreshold = 2));

    private static async Task<CircuitBreakerScope> MakeScopeAsync(TimeProvider time)
    {
        var scope = new CircuitBreakerScope(time);
        await Task.Yield();
        return scope;
    }
}
