using System;
using System.Collections.Generic;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Runtime.Tests;

public sealed class CoordinationTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void A_coordinator_that_withholds_the_probe_keeps_the_circuit_rejecting_after_the_break()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);
        var coordinator = new SwitchCoordinator { Allow = false };
        breaker.Coordinator = coordinator;
        breaker.Trip();

        _time.Advance(TimeSpan.FromSeconds(30));

        Assert.False(breaker.TryAcquire().IsGranted);
        Assert.Same(breaker, Assert.Single(coordinator.Asked));

        // The rejection names the state that rejected; an observer sees the break is over and a probe is awaited.
        BrokenCircuitException rejection = breaker.CreateRejectedException();
        Assert.Equal((CircuitState.Open, TimeSpan.Zero), (rejection.State, rejection.RetryAfter));
        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        Assert.Equal((CircuitState.HalfOpen, true), (metrics.State, metrics.AwaitingProbe));
        Assert.Equal(CircuitState.HalfOpen, breaker.State);
        Assert.Single(coordinator.Asked);

        coordinator.Allow = true;
        Assert.True(breaker.TryAcquire().IsGranted);
        Assert.Equal(2, coordinator.Asked.Count);
        Assert.False(breaker.GetMetrics().AwaitingProbe);
    }

    [Fact]
    public void Reading_a_breaker_never_asks_its_coordinator()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);
        var coordinator = new SwitchCoordinator { Allow = true };
        breaker.Coordinator = coordinator;
        breaker.Trip();

        for (int step = 0; step < 40; step++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            _ = breaker.State;
            _ = breaker.GetMetrics();
            _ = breaker.CreateRejectedException();
            _ = breaker.ToString();
        }

        Assert.Empty(coordinator.Asked);
        Assert.True(breaker.TryAcquire().IsGranted);
        Assert.Same(breaker, Assert.Single(coordinator.Asked));
    }

    [Fact]
    public void A_coordinator_is_not_asked_before_the_break_is_over()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);
        var coordinator = new SwitchCoordinator { Allow = true };
        breaker.Coordinator = coordinator;
        breaker.Trip();

        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(breaker.TryAcquire().IsGranted);

        Assert.Empty(coordinator.Asked);
    }

    [Fact]
    public void OpenUntil_opens_a_closed_circuit_for_the_given_break_and_says_so()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);
        var changes = new List<CircuitStateChangedEventArgs>();
        breaker.StateChanged += (_, e) => changes.Add(e);

        breaker.OpenUntil(_time.GetUtcNow() + TimeSpan.FromSeconds(12));

        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        Assert.Equal(CircuitState.Open, metrics.State);
        Assert.Equal(TimeSpan.FromSeconds(12), metrics.RetryAfter);
        Assert.Equal(1, metrics.CircuitOpens);
        CircuitStateChangedEventArgs change = Assert.Single(changes);
        Assert.Equal((CircuitState.Closed, CircuitState.Open, TimeSpan.FromSeconds(12)), (change.From, change.To, change.BreakDuration));

        _time.Advance(TimeSpan.FromSeconds(12));
        Assert.Equal(CircuitState.HalfOpen, breaker.State);
    }

    [Fact]
    public void OpenUntil_on_an_open_circuit_keeps_the_later_end()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);
        breaker.Trip(); // 30 s break

        breaker.OpenUntil(_time.GetUtcNow() + TimeSpan.FromSeconds(10));
        Assert.Equal(TimeSpan.FromSeconds(30), breaker.GetMetrics().RetryAfter);

        breaker.OpenUntil(_time.GetUtcNow() + TimeSpan.FromSeconds(45));
        Assert.Equal(TimeSpan.FromSeconds(45), breaker.GetMetrics().RetryAfter);
        Assert.Equal(1, breaker.GetMetrics().CircuitOpens);
    }

    [Fact]
    public void OpenUntil_leaves_isolated_and_metrics_only_circuits_and_past_instants_alone()
    {
        CircuitBreaker isolated = TestBreakers.Create(_time);
        isolated.Isolate();
        isolated.OpenUntil(_time.GetUtcNow() + TimeSpan.FromSeconds(5));
        Assert.Equal(CircuitState.Isolated, isolated.State);

        CircuitBreaker metricsOnly = TestBreakers.Create(_time);
        metricsOnly.SetMetricsOnly(true);
        metricsOnly.OpenUntil(_time.GetUtcNow() + TimeSpan.FromSeconds(5));
        Assert.True(metricsOnly.TryAcquire().IsGranted);

        CircuitBreaker closed = TestBreakers.Create(_time);
        closed.OpenUntil(_time.GetUtcNow() - TimeSpan.FromSeconds(1));
        Assert.Equal(CircuitState.Closed, closed.State);
    }

    [Fact]
    public void CloseIfOpen_closes_an_open_or_half_open_circuit_and_counts_the_close()
    {
        CircuitBreaker open = TestBreakers.Create(_time);
        open.Trip();
        var changes = new List<CircuitStateChangedEventArgs>();
        open.StateChanged += (_, e) => changes.Add(e);

        Assert.True(open.CloseIfOpen());

        Assert.Equal(CircuitState.Closed, open.State);
        Assert.Equal(1, open.GetMetrics().CircuitCloses);
        Assert.Equal((CircuitState.Open, CircuitState.Closed), (Assert.Single(changes).From, changes[0].To));
        Assert.Equal(0, open.GetMetrics().WindowCalls);

        CircuitBreaker halfOpen = TestBreakers.Create(_time);
        halfOpen.Trip();
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(CircuitState.HalfOpen, halfOpen.State);
        Assert.True(halfOpen.CloseIfOpen());
        Assert.Equal(CircuitState.Closed, halfOpen.State);
    }

    [Fact]
    public void CloseIfOpen_leaves_closed_isolated_and_metrics_only_circuits_alone()
    {
        CircuitBreaker closed = TestBreakers.Create(_time);
        CircuitBreaker isolated = TestBreakers.Create(_time);
        isolated.Isolate();
        CircuitBreaker metricsOnly = TestBreakers.Create(_time);
        metricsOnly.SetMetricsOnly(true);
        metricsOnly.Fail(4); // would have opened

        Assert.False(closed.CloseIfOpen());
        Assert.False(isolated.CloseIfOpen());
        Assert.False(metricsOnly.CloseIfOpen());
        Assert.Equal(CircuitState.Isolated, isolated.State);
        Assert.Equal(CircuitState.MetricsOnly, metricsOnly.State);
    }

    [Fact]
    public void Metrics_report_the_window_counts_a_fleet_would_publish()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o => { o.MinimumThroughput = 10; o.SlowCallDuration = TimeSpan.FromSeconds(2); });
        breaker.Succeed(3);
        breaker.Fail(2);
        CircuitPermit slow = breaker.TryAcquire();
        _time.Advance(TimeSpan.FromSeconds(2));
        slow.RecordSuccess();

        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        Assert.Equal((6L, 2L, 1L), (metrics.WindowCalls, metrics.WindowFailures, metrics.WindowSlowCalls));
    }

    private sealed class SwitchCoordinator : CircuitCoordinator
    {
        public bool Allow { get; set; }

        public List<CircuitBreaker> Asked { get; } = [];

        public override bool MayStartProbing(CircuitBreaker breaker)
        {
            Asked.Add(breaker);
            return Allow;
        }
    }
}
