using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Breaker.Testing.Tests.Services;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Testing.Tests;

/// <summary>What a BreakerTestScope isolates, and how every way of misusing one fails loudly.</summary>
public sealed class ScopeIsolationTests
{
    private static readonly TimeSpan Ceiling = TimeSpan.FromSeconds(30);

    [Fact]
    public void A_keyed_groups_name_is_not_a_breaker_and_its_keys_breakers_are_the_scopes()
    {
        string name = "testing-catalog-" + Guid.NewGuid().ToString("N");
        CircuitBreakerKeys<string> catalog = CircuitBreakerRegistry.Default.GetOrAddGroup<string>(name, static o => o.ConsecutiveFailureThreshold = 1);
        using var scope = new BreakerTestScope();

        ArgumentException error = Assert.Throws<ArgumentException>(() => scope.Breaker(name));
        CircuitBreakerScope.Resolve(catalog.GetBreaker("t1")).Execute(static () => 1);
        ScopedBreaker t1 = scope.Breaker(name + ":t1");
        t1.Open();

        Assert.Contains("keyed group", error.Message, StringComparison.Ordinal);
        Assert.False(CircuitBreakerScope.Resolve(catalog.GetBreaker("t1")).TryAcquire().IsGranted);
        Assert.True(CircuitBreakerScope.Resolve(catalog.GetBreaker("t2")).TryAcquire().IsGranted);
        Assert.Equal(0, catalog.Group.Count);
    }

    [Fact]
    public void A_generated_method_in_a_scope_uses_the_scopes_breaker_on_the_scopes_clock_and_leaves_the_shared_one_alone()
    {
        var inventory = new Inventory { Down = true };
        using var scope = new BreakerTestScope();

        Assert.Equal(-1, inventory.Stock("abc"));
        Assert.Equal(-1, inventory.Stock("abc"));

        ScopedBreaker stock = scope.Breaker<Inventory>(nameof(Inventory.Stock));
        stock.AssertState(CircuitState.Open);
        Assert.Same(scope.Time, stock.Breaker.TimeProvider);
        Assert.Equal(TimeSpan.FromSeconds(30), stock.Breaker.Options.BreakDuration);
        Assert.True(CircuitBreakerRegistry.Default.TryGet("testing-stock", out CircuitBreaker? shared));
        Assert.Equal((CircuitState.Closed, 0L), (shared.State, shared.GetMetrics().TotalCalls));
    }

    [Fact]
    public async Task Two_scopes_in_parallel_on_the_same_generated_method_each_see_only_their_own_calls()
    {
        var firstHalfway = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondOpen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Interleaved on purpose: the second scope opens its breaker between the first scope's calls, and the first scope's
        // next call must still reach the service.
        Task<(CircuitBreakerMetrics, int)> first = Task.Run(async () =>
        {
            using var scope = new BreakerTestScope();
            var inventory = new Inventory();
            Assert.Equal(1, inventory.Stock("a"));
            firstHalfway.SetResult();
            await secondOpen.Task.WaitAsync(Ceiling);
            Assert.Equal(1, inventory.Stock("b"));
            return (scope.Breaker("testing-stock").Metrics, inventory.Calls);
        });
        Task<(CircuitBreakerMetrics, int)> second = Task.Run(async () =>
        {
            using var scope = new BreakerTestScope();
            var inventory = new Inventory { Down = true };
            await firstHalfway.Task.WaitAsync(Ceiling);
            for (int i = 0; i < 3; i++)
            {
                inventory.Stock("c");
            }

            secondOpen.SetResult();
            return (scope.Breaker("testing-stock").Metrics, inventory.Calls);
        });

        (CircuitBreakerMetrics firstSaw, int firstCalls) = await first;
        (CircuitBreakerMetrics secondSaw, int secondCalls) = await second;

        Assert.Equal((CircuitState.Closed, 2L, 0L, 0L, 2), (firstSaw.State, firstSaw.SuccessfulCalls, firstSaw.FailedCalls, firstSaw.RejectedCalls, firstCalls));
        Assert.Equal((CircuitState.Open, 0L, 2L, 1L, 2), (secondSaw.State, secondSaw.SuccessfulCalls, secondSaw.FailedCalls, secondSaw.RejectedCalls, secondCalls));
    }

    [Fact]
    public async Task The_scope_follows_the_test_into_awaits_Task_Run_threads_and_timers()
    {
        using var scope = new BreakerTestScope();
        var inventory = new Inventory();

        await Task.Yield();
        await Task.Run(() => inventory.Stock("a"));
        await Task.Factory.StartNew(() => inventory.Stock("b"), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var thread = new Thread(() => inventory.Stock("c"));
        thread.Start();
        Assert.True(thread.Join(Ceiling));
        var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (new Timer(_ => { inventory.Stock("d"); fired.SetResult(); }, null, TimeSpan.Zero, Timeout.InfiniteTimeSpan))
        {
            await fired.Task.WaitAsync(Ceiling);
        }

        scope.Breaker("testing-stock").AssertCalls(successes: 4, failures: 0);
    }

    [Fact]
    public void A_nested_scope_starts_afresh_and_the_outer_one_refuses_to_be_used_until_it_ends()
    {
        var inventory = new Inventory { Down = true };
        using var outer = new BreakerTestScope();
        ScopedBreaker outerStock = outer.Breaker("testing-stock");
        outerStock.Open();

        using (var inner = new BreakerTestScope())
        {
            Assert.Equal(-1, inventory.Stock("a"));
            Assert.Equal(1, inventory.Calls); // the inner breaker is closed: the call ran (and failed)
            inner.Breaker("testing-stock").AssertCalls(failures: 1, rejections: 0);

            InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => outerStock.State);
            Assert.Contains("a scope made inside it", error.Message, StringComparison.Ordinal);
            Assert.Throws<InvalidOperationException>(() => outer.Breaker("testing-stock"));
        }

        Assert.Equal(-1, inventory.Stock("a"));
        Assert.Equal(1, inventory.Calls); // the outer breaker is open again: rejected
        outerStock.AssertCalls(failures: 0, rejections: 1);
    }

    [Fact]
    public void Disposing_twice_does_nothing_and_the_scopes_record_stays_readable()
    {
        var inventory = new Inventory { Down = true };
        var scope = new BreakerTestScope();
        ScopedBreaker stock = scope.Breaker("testing-stock");
        inventory.Stock("a");

        scope.Dispose();
        scope.Dispose();

        Assert.True(scope.IsDisposed);
        Assert.Equal(FailureKind.Exception, Assert.Single(stock.Failures).Kind);
        stock.AssertCalls(failures: 1);
        Assert.Throws<ObjectDisposedException>(stock.Open);
        Assert.Throws<ObjectDisposedException>(() => scope.Breaker("testing-stock"));
    }

    [Fact]
    public void Disposing_an_outer_scope_before_the_inner_one_throws()
    {
        using var outer = new BreakerTestScope();
        using var inner = new BreakerTestScope();

        Assert.Throws<InvalidOperationException>(outer.Dispose);

        Assert.False(outer.IsDisposed);
    }

    [Fact]
    public async Task Work_the_test_left_running_fails_on_its_next_call_after_the_scope_ends()
    {
        var inventory = new Inventory();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<int> leaked;
        using (new BreakerTestScope())
        {
            leaked = Task.Run(async () =>
            {
                await release.Task;
                return inventory.Stock("late");
            });
        }

        release.SetResult();

        ObjectDisposedException error = await Assert.ThrowsAsync<ObjectDisposedException>(() => leaked.WaitAsync(Ceiling));
        Assert.Contains("'testing-stock'", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, inventory.Calls);
    }

    [Fact]
    public async Task A_test_that_forgets_to_dispose_its_scope_leaves_no_trace_in_other_tests_flows()
    {
        var forgotten = new TaskCompletionSource<BreakerTestScope>();

        // Another test's flow: makes a scope, opens its breaker, never disposes it.
        await Task.Run(() =>
        {
            var scope = new BreakerTestScope();
            scope.Breaker("testing-stock").Isolate();
            forgotten.SetResult(scope);
        });

        using var mine = new BreakerTestScope();
        var inventory = new Inventory();
        Assert.Equal(3, inventory.Stock("abc"));
        mine.Breaker("testing-stock").AssertState(CircuitState.Closed);
        Assert.False((await forgotten.Task).IsDisposed);
    }

    [Fact]
    public async Task A_scope_made_in_an_async_method_that_returned_refuses_to_be_used_and_says_why()
    {
        // What xUnit's IAsyncLifetime.InitializeAsync, or any async helper, does: the scope does not outlive the method.
        BreakerTestScope lost = await MakeScopeAsync();

        InvalidOperationException used = Assert.Throws<InvalidOperationException>(() => lost.Breaker("testing-stock"));
        Assert.Contains("async method that has returned", used.Message, StringComparison.Ordinal);
        InvalidOperationException disposed = Assert.Throws<InvalidOperationException>(lost.Dispose);
        Assert.Contains("the code it was meant for ran with the shared breakers", disposed.Message, StringComparison.Ordinal);

        static async Task<BreakerTestScope> MakeScopeAsync()
        {
            var scope = new BreakerTestScope();
            await Task.Yield();
            return scope;
        }
    }

    [Fact]
    public void A_shared_breaker_cannot_be_forced_from_inside_a_scope()
    {
        var inventory = new Inventory();
        using var scope = new BreakerTestScope();
        Assert.True(CircuitBreakerRegistry.Default.TryGet("testing-stock", out CircuitBreaker? shared));

        InvalidOperationException error = Assert.Throws<InvalidOperationException>(shared.Isolate);

        Assert.Contains("BreakerTestScope.Breaker(name)", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(CircuitBreakerRegistry.Default.ResetAll);
        Assert.Throws<InvalidOperationException>(shared.Reset);
        Assert.Throws<InvalidOperationException>(shared.StartBreak);
        Assert.Throws<InvalidOperationException>(() => shared.EndBreak());
        Assert.Throws<InvalidOperationException>(() => shared.SetMetricsOnly(true));
        Assert.True(shared.TryAcquire().IsGranted); // asks the scope's breaker, as a call does
        Assert.Equal(CircuitState.Closed, shared.State);
        Assert.Equal(3, inventory.Stock("abc"));
    }

    [Fact]
    public void An_unknown_name_is_refused_with_the_names_that_exist()
    {
        using var scope = new BreakerTestScope();

        KeyNotFoundError(() => scope.Breaker("testing-stok"), "'testing-stock'");
        Assert.Throws<BreakerAssertionException>(() => scope.Breaker<Inventory>("Restock"));

        static void KeyNotFoundError(Action lookup, string listed)
        {
            KeyNotFoundException error = Assert.Throws<KeyNotFoundException>(lookup);
            Assert.Contains("'testing-stok'", error.Message, StringComparison.Ordinal);
            Assert.Contains(listed, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_scope_lists_every_breaker_it_made_and_its_own_configuration_applies_to_this_test_only()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using var scope = new BreakerTestScope(clock);
        scope.Registry.Configure("testing-stock", static o => o.BreakDuration = TimeSpan.FromSeconds(2));
        var inventory = new Inventory { Down = true };

        inventory.Stock("a");
        inventory.Stock("b");
        Assert.Throws<InvalidOperationException>(() => inventory.Reserve("a"));

        Assert.Equal(["testing-reserve", "testing-stock"], scope.Breakers.Select(static b => b.Name));
        scope.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(CircuitState.HalfOpen, scope.Breaker("testing-stock").State);
        Assert.Equal(TimeSpan.FromSeconds(30), CircuitBreakerRegistry.Default.GetOrAdd("testing-stock").Options.BreakDuration);
    }
}
