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
    public void OpenFor_opens_a_closed_circuit_for_the_given_break_from_now_and_says_so()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);
        var changes = new List<CircuitStateChangedEventArgs>();
        breaker.StateChanged += (_, e) => changes.Add(e);

        Assert.True(breaker.OpenFor(TimeSpan.FromSeconds(12)));

        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        Assert.Equal(CircuitState.Open, metrics.State);
        Assert.Equal(TimeSpan.FromSeconds(12), metrics.RetryAfter);
        Assert.Equal(1, metrics.CircuitOpens);
        CircuitStateChangedEventArgs change = Assert.Single(changes);
        Assert.Equal((CircuitState.Closed, CircuitState.Open, TimeSpan.FromSeconds(12)), (change.From, change.To, change.BreakDuration));

        _time.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(CircuitState.Open, breaker.State);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(CircuitState.HalfOpen, breaker.State);
    }

    [Fact]
    public void OpenFor_clamps_the_break_to_the_breakers_own_longest()
    {
        CircuitBreaker plain = TestBreakers.Create(_time);
        Assert.True(plain.OpenFor(TimeSpan.FromDays(3650)));
        Assert.Equal(TimeSpan.FromSeconds(30), plain.GetMetrics().RetryAfter);

        CircuitBreaker backingOff = TestBreakers.Create(_time, o => { o.BreakDurationMultiplier = 2; o.MaxBreakDuration = TimeSpan.FromMinutes(5); });
        Assert.True(backingOff.OpenFor(TimeSpan.MaxValue));
        Assert.Equal(TimeSpan.FromMinutes(5), backingOff.GetMetrics().RetryAfter);

        Assert.Equal(TimeSpan.Zero, plain.ClampSharedBreak(TimeSpan.FromSeconds(-5)));
        Assert.Equal(TimeSpan.FromSeconds(7), plain.ClampSharedBreak(TimeSpan.FromSeconds(7)));
    }

    [Fact]
    public void OpenFor_on_an_open_circuit_keeps_the_later_end()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o => { o.BreakDurationMultiplier = 2; o.MaxBreakDuration = TimeSpan.FromMinutes(1); });
        breaker.Trip(); // 30 s break

        Assert.False(breaker.OpenFor(TimeSpan.FromSeconds(10)));
        Assert.Equal(TimeSpan.FromSeconds(30), breaker.GetMetrics().RetryAfter);

        Assert.False(breaker.OpenFor(TimeSpan.FromSeconds(45)));
        Assert.Equal(TimeSpan.FromSeconds(45), breaker.GetMetrics().RetryAfter);
        Assert.Equal(1, breaker.GetMetrics().CircuitOpens);
    }

    [Fact]
    public void OpenFor_leaves_isolated_and_metrics_only_circuits_and_empty_breaks_alone()
    {
        CircuitBreaker isolated = TestBreakers.Create(_time);
        isolated.Isolate();
        Assert.False(isolated.OpenFor(TimeSpan.FromSeconds(5)));
        Assert.Equal(CircuitState.Isolated, isolated.State);

        CircuitBreaker metricsOnly = TestBreakers.Create(_time);
        metricsOnly.SetMetricsOnly(true);
        Assert.False(metricsOnly.OpenFor(TimeSpan.FromSeconds(5)));
        Assert.True(metricsOnly.TryAcquire().IsGranted);

        CircuitBreaker closed = TestBreakers.Create(_time);
        Assert.False(closed.OpenFor(TimeSpan.Zero));
        Assert.False(closed.OpenFor(TimeSpan.FromSeconds(-1)));
        Assert.Equal(CircuitState.Closed, closed.State);
    }

    [Fact]
    public void TryOpen_opens_a_closed_circuit_for_the_break_it_chooses_itself_and_only_a_closed_one()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);
        var changes = new List<CircuitStateChangedEventArgs>();
        breaker.StateChanged += (_, e) => changes.Add(e);

        Assert.True(breaker.TryOpen(out TimeSpan chosen));

        Assert.Equal(TimeSpan.FromSeconds(30), chosen);
        Assert.Equal(chosen, Assert.Single(changes).BreakDuration);
        Assert.Equal(TimeSpan.FromSeconds(30), breaker.GetMetrics().RetryAfter);
        Assert.False(breaker.TryOpen(out TimeSpan again));
        Assert.Equal(TimeSpan.Zero, again);

        CircuitBreaker metricsOnly = TestBreakers.Create(_time);
        metricsOnly.SetMetricsOnly(true);
        Assert.False(metricsOnly.TryOpen(out _));
        CircuitBreaker isolated = TestBreakers.Create(_time);
        isolated.Isolate();
        Assert.False(isolated.TryOpen(out _));
    }

    [Fact]
    public void CloseIfOpenedElsewhere_closes_a_circuit_that_a_decision_made_elsewhere_opened_and_counts_the_close()
    {
        CircuitBreaker byOpenFor = TestBreakers.Create(_time);
        byOpenFor.Fail(1);
        byOpenFor.OpenFor(TimeSpan.FromSeconds(30));
        var changes = new List<CircuitStateChangedEventArgs>();
        byOpenFor.StateChanged += (_, e) => changes.Add(e);

        Assert.True(byOpenFor.CloseIfOpenedElsewhere());

        Assert.Equal(CircuitState.Closed, byOpenFor.State);
        Assert.Equal(1, byOpenFor.GetMetrics().CircuitCloses);
        Assert.Equal((CircuitState.Open, CircuitState.Closed), (Assert.Single(changes).From, changes[0].To));
        Assert.Equal(0, byOpenFor.GetMetrics().WindowCalls);
        Assert.False(byOpenFor.CloseIfOpenedElsewhere());

        // After its break, while it still waits (no call started a probe), it may be closed too.
        CircuitBreaker byTryOpen = TestBreakers.Create(_time);
        byTryOpen.TryOpen(out _);
        _time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(CircuitState.HalfOpen, byTryOpen.State);
        Assert.True(byTryOpen.CloseIfOpenedElsewhere());
        Assert.Equal(CircuitState.Closed, byTryOpen.State);
    }

    [Fact]
    public void CloseIfOpenedElsewhere_never_closes_a_circuit_its_own_failures_opened_or_that_moved_since()
    {
        // Opened by its own failures, then told the fleet opened it too: its own verdict stands.
        CircuitBreaker ownFailures = TestBreakers.Create(_time);
        ownFailures.Trip();
        ownFailures.OpenFor(TimeSpan.FromSeconds(10));
        Assert.False(ownFailures.CloseIfOpenedElsewhere());
        Assert.Equal(CircuitState.Open, ownFailures.State);

        // Opened elsewhere, then it started probing on its own and a probe failed: reopened by its own evidence.
        CircuitBreaker reopened = TestBreakers.Create(_time);
        reopened.OpenFor(TimeSpan.FromSeconds(30));
        _time.Advance(TimeSpan.FromSeconds(30));
        reopened.Fail();
        Assert.Equal(CircuitState.Open, reopened.State);
        Assert.False(reopened.CloseIfOpenedElsewhere());

        // Opened elsewhere and half-open on its own probes: they decide.
        CircuitBreaker probing = TestBreakers.Create(_time);
        probing.OpenFor(TimeSpan.FromSeconds(30));
        _time.Advance(TimeSpan.FromSeconds(30));
        CircuitPermit probe = probing.TryAcquire();
        Assert.False(probing.CloseIfOpenedElsewhere());
        probe.RecordSuccess();

        CircuitBreaker closed = TestBreakers.Create(_time);
        CircuitBreaker isolated = TestBreakers.Create(_time);
        isolated.Isolate();
        CircuitBreaker metricsOnly = TestBreakers.Create(_time);
        metricsOnly.SetMetricsOnly(true);
        metricsOnly.Fail(4); // would have opened
        Assert.False(closed.CloseIfOpenedElsewhere());
        Assert.False(isolated.CloseIfOpenedElsewhere());
        Assert.False(metricsOnly.CloseIfOpenedElsewhere());
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
