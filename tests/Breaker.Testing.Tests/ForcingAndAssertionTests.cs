using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Breaker.Testing.Tests.Services;

namespace Breaker.Testing.Tests;

/// <summary>Forcing a scope's breaker into a state in one line, and asserting on what it did.</summary>
public sealed class ForcingAndAssertionTests : IDisposable
{
    private readonly BreakerTestScope _scope = new();
    private readonly Inventory _inventory = new();

    public void Dispose() => _scope.Dispose();

    private ScopedBreaker Stock => _scope.Breaker<Inventory>(nameof(Inventory.Stock));

    [Fact]
    public void Open_rejects_calls_until_the_break_is_over_then_the_next_call_probes()
    {
        Stock.Open();

        Assert.Equal(-1, _inventory.Stock("abc"));
        Assert.Equal(0, _inventory.Calls);
        _scope.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(3, _inventory.Stock("abc"));

        Stock.AssertTransitions(CircuitState.HalfOpen, CircuitState.Closed); // SuccessThreshold = 1
        Stock.AssertCalls(successes: 1, rejections: 1, fallbacks: 1);
    }

    [Fact]
    public void HalfOpen_makes_the_next_call_a_probe()
    {
        Stock.HalfOpen();
        Assert.Equal(CircuitState.HalfOpen, Stock.State);

        Assert.Equal(3, _inventory.Stock("abc"));

        Stock.AssertState(CircuitState.Closed);
        Stock.AssertTransitions(CircuitState.HalfOpen, CircuitState.Closed);
    }

    [Fact]
    public void Isolate_holds_the_circuit_open_whatever_the_clock_until_Close()
    {
        Stock.Isolate();
        _scope.Advance(TimeSpan.FromDays(1));
        Assert.Equal(-1, _inventory.Stock("abc"));

        Stock.Close();
        Assert.Equal(3, _inventory.Stock("abc"));

        Assert.Equal(CircuitState.Isolated, Assert.Single(Stock.Rejections).State);
        Stock.AssertTransitions();
    }

    [Fact]
    public void Close_after_the_code_opened_the_circuit_closes_it_and_records_nothing_of_its_own()
    {
        _inventory.Down = true;
        _inventory.Stock("a");
        _inventory.Stock("b");

        Stock.Close();

        Stock.AssertState(CircuitState.Closed);
        Stock.AssertTransitions(CircuitState.Open);
        _scope.ResetAll();
        Assert.Equal(-1, _inventory.Stock("c"));
        Assert.Equal(3, _inventory.Calls);
    }

    [Fact]
    public void A_method_without_a_fallback_throws_BrokenCircuitException_while_forced_open()
    {
        _scope.Breaker<Inventory>(nameof(Inventory.Reserve)).Open();

        BrokenCircuitException error = Assert.Throws<BrokenCircuitException>(() => _inventory.Reserve("abc"));

        Assert.Equal(("testing-reserve", CircuitState.Open, TimeSpan.FromSeconds(30)), (error.CircuitName, error.State, error.RetryAfter));
    }

    [Fact]
    public async Task A_timeout_fires_when_the_test_moves_the_scopes_clock()
    {
        Task<int> counting = _inventory.CountAsync("abc", CancellationToken.None);
        Assert.False(counting.IsCompleted);

        _scope.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(-2, await counting.WaitAsync(TimeSpan.FromSeconds(30)));
        RecordedFailure failure = Assert.Single(_scope.Breaker("testing-count").Failures);
        Assert.Equal(FailureKind.Timeout, failure.Kind);
        Assert.IsType<TimeoutException>(failure.Exception);
        Assert.Equal(_scope.Time.GetUtcNow(), failure.At);
    }

    [Fact]
    public void Events_are_recorded_in_order_with_their_time_on_the_scopes_clock()
    {
        DateTimeOffset start = _scope.Time.GetUtcNow();
        _inventory.Down = true;
        _inventory.Stock("a");
        _scope.Advance(TimeSpan.FromSeconds(1));
        _inventory.Stock("b");
        _inventory.Stock("c");

        // The breaker raises the transition while it records the failure that caused it, then the failure.
        Assert.Collection(
            Stock.Events,
            e => Assert.Equal((start, "failed (Exception: InvalidOperationException: inventory is down)"), (e.At, e.ToString())),
            e => Assert.Equal(new RecordedTransition(start.AddSeconds(1), CircuitState.Closed, CircuitState.Open, TimeSpan.FromSeconds(30)), e),
            e => Assert.Equal((start.AddSeconds(1), FailureKind.Exception), (e.At, Assert.IsType<RecordedFailure>(e).Kind)),
            e => Assert.Equal(new RecordedRejection(start.AddSeconds(1), CircuitState.Open, TimeSpan.FromSeconds(30), IsMetricsOnly: false), e));
        Assert.Equal(0, Stock.Successes);
        Assert.Equal(3, Stock.Fallbacks);
    }

    [Fact]
    public void A_failed_assertion_says_what_was_expected_and_what_happened()
    {
        _inventory.Down = true;
        _inventory.Stock("a");
        _inventory.Stock("b");

        BreakerAssertionException transitions = Assert.Throws<BreakerAssertionException>(() => Stock.AssertTransitions(CircuitState.Open, CircuitState.HalfOpen));
        BreakerAssertionException state = Assert.Throws<BreakerAssertionException>(() => Stock.AssertState(CircuitState.Closed));
        BreakerAssertionException calls = Assert.Throws<BreakerAssertionException>(() => Stock.AssertCalls(failures: 2, fallbacks: 3));

        Assert.StartsWith("Breaker 'testing-stock' entered [Open], but the test expected [Open, HalfOpen].", transitions.Message, StringComparison.Ordinal);
        Assert.StartsWith("Breaker 'testing-stock' is Open, but the test expected Closed.", state.Message, StringComparison.Ordinal);
        Assert.StartsWith("Breaker 'testing-stock' has 2 fallbacks where the test expected 3.", calls.Message, StringComparison.Ordinal);
        Assert.Contains(
            "What happened: 'testing-stock' is Open: 0 succeeded, 2 failed, 0 rejected, 2 answered by a fallback" + Environment.NewLine
            + "  +00:00:00  failed (Exception: InvalidOperationException: inventory is down)",
            transitions.Message,
            StringComparison.Ordinal);
        Assert.Contains("  +00:00:00  Closed -> Open (break 00:00:30)", transitions.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Assertions_that_hold_say_nothing()
    {
        _inventory.Stock("abc");

        Stock.AssertState(CircuitState.Closed);
        Stock.AssertTransitions();
        Stock.AssertCalls(successes: 1, failures: 0, rejections: 0, fallbacks: 0);
        Stock.AssertCalls();
        Assert.Equal(1, Stock.Successes);
    }

    [Fact]
    public async Task Calls_from_many_threads_in_the_scope_are_all_recorded()
    {
        _inventory.Down = true;
        _scope.Registry.Configure("testing-stock", static o => { o.MinimumThroughput = 1_000; o.SlidingWindowSize = 1_000; });

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (int i = 0; i < 50; i++)
            {
                new Inventory { Down = true }.Stock("x");
            }
        })));

        Assert.Equal(400, Stock.Failures.Count);
        Stock.AssertCalls(failures: 400, fallbacks: 400);
    }
}
