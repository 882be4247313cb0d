using System;
using System.Collections.Generic;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Runtime.Tests;

public sealed class ManualControlTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Isolate_rejects_every_call_until_Reset()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);

        breaker.Isolate();
        _time.Advance(TimeSpan.FromDays(1));

        Assert.Equal(CircuitState.Isolated, breaker.State);
        Assert.False(breaker.TryAcquire().IsGranted);
        BrokenCircuitException error = breaker.CreateRejectedException();
        Assert.Equal(CircuitState.Isolated, error.State);
        Assert.Null(error.RetryAfter);

        breaker.Reset();
        Assert.Equal(CircuitState.Closed, breaker.State);
        Assert.True(breaker.TryAcquire().IsGranted);
    }

    [Fact]
    public void Isolate_from_half_open_holds_the_circuit_whatever_the_probes_say()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);
        breaker.Trip();
        _time.Advance(TimeSpan.FromSeconds(30));
        CircuitPermit probe = breaker.TryAcquire();

        breaker.Isolate();
        probe.RecordSuccess(); // the verdict of a period that is over

        Assert.Equal(CircuitState.Isolated, breaker.State);
        Assert.False(breaker.TryAcquire().IsGranted);
    }

    [Fact]
    public void Reset_closes_and_forgets_the_window_and_the_consecutive_failures()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o => { o.ConsecutiveFailureThreshold = 3; o.MinimumThroughput = 10; });
        breaker.Fail(2);

        breaker.Reset();
        breaker.Fail(2);

        Assert.Equal(CircuitState.Closed, breaker.State);
        Assert.Equal(2, breaker.GetMetrics().WindowCalls);
        Assert.Equal(4, breaker.GetMetrics().FailedCalls); // lifetime counters survive a reset
    }

    [Fact]
    public void Reset_from_open_closes_at_once()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);
        breaker.Trip();

        breaker.Reset();

        Assert.Equal(CircuitState.Closed, breaker.State);
        Assert.Equal(0, breaker.GetMetrics().WindowCalls);
        breaker.Succeed(3);
    }

    [Fact]
    public void A_call_admitted_before_Reset_does_not_count_in_the_new_window()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);
        CircuitPermit before = breaker.TryAcquire();

        breaker.Reset();
        before.RecordFailure(null);

        Assert.Equal(0, breaker.GetMetrics().WindowCalls);
        Assert.Equal(1, breaker.GetMetrics().FailedCalls);
    }

    [Fact]
    public void MetricsOnly_never_rejects_but_follows_the_machine()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);
        var changes = new List<CircuitStateChangedEventArgs>();
        var rejections = new List<CallRejectedEventArgs>();
        breaker.StateChanged += (_, e) => changes.Add(e);
        breaker.CallRejected += (_, e) => rejections.Add(e);

        breaker.SetMetricsOnly(true);
        Assert.Equal(CircuitState.MetricsOnly, breaker.State);
        Assert.Equal((CircuitState.Closed, CircuitState.MetricsOnly, false), (changes[0].From, changes[0].To, changes[0].IsMetricsOnly));

        breaker.Fail(4); // would have opened
        Assert.Equal((CircuitState.Closed, CircuitState.Open, true), (changes[1].From, changes[1].To, changes[1].IsMetricsOnly));
        Assert.Equal(TimeSpan.FromSeconds(30), changes[1].BreakDuration);

        CircuitPermit wouldBeRejected = breaker.TryAcquire();
        Assert.True(wouldBeRejected.IsGranted);
        wouldBeRejected.RecordFailure(null);
        CallRejectedEventArgs rejection = Assert.Single(rejections);
        Assert.True(rejection.IsMetricsOnly);
        Assert.Equal(CircuitState.Open, rejection.State);
        Assert.Equal(TimeSpan.FromSeconds(30), rejection.RetryAfter);

        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        Assert.Equal(CircuitState.MetricsOnly, metrics.State);
        Assert.Equal(1, metrics.RejectedCalls);
        Assert.Equal(5, metrics.FailedCalls);
        Assert.Equal(1, metrics.CircuitOpens);
        Assert.Equal(CircuitState.MetricsOnly, breaker.State);
    }

    [Fact]
    public void MetricsOnly_follows_half_open_and_recovery_too()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o => o.SuccessThreshold = 1);
        var changes = new List<(CircuitState, CircuitState, bool)>();
        breaker.StateChanged += (_, e) => changes.Add((e.From, e.To, e.IsMetricsOnly));
        breaker.SetMetricsOnly(true);
        breaker.Fail(4);
        _time.Advance(TimeSpan.FromSeconds(30));

        breaker.Succeed(1);

        Assert.Equal(
            new[]
            {
                (CircuitState.Closed, CircuitState.MetricsOnly, false),
                (CircuitState.Closed, CircuitState.Open, true),
                (CircuitState.Open, CircuitState.HalfOpen, true),
                (CircuitState.HalfOpen, CircuitState.Closed, true),
            },
            changes);
        Assert.Equal(CircuitState.MetricsOnly, breaker.State);
    }

    [Fact]
    public void Entering_and_leaving_MetricsOnly_starts_from_a_closed_circuit_and_an_empty_window()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);
        breaker.Trip();

        breaker.SetMetricsOnly(true);
        Assert.Equal(0, breaker.GetMetrics().WindowCalls);
        breaker.Fail(4); // opens the metrics-only circuit
        breaker.SetMetricsOnly(false);

        Assert.Equal(CircuitState.Closed, breaker.State);
        Assert.Equal(0, breaker.GetMetrics().WindowCalls);
        breaker.Succeed(1);
    }

    [Fact]
    public void SetMetricsOnly_with_the_current_value_changes_nothing()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);
        int changes = 0;
        breaker.StateChanged += (_, _) => changes++;
        breaker.Fail(2);

        breaker.SetMetricsOnly(false);

        Assert.Equal(0, changes);
        Assert.Equal(2, breaker.GetMetrics().WindowCalls);
    }

    [Fact]
    public void Reset_and_Isolate_end_metrics_only_mode()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);

        breaker.SetMetricsOnly(true);
        breaker.Reset();
        Assert.Equal(CircuitState.Closed, breaker.State);

        breaker.SetMetricsOnly(true);
        breaker.Isolate();
        Assert.Equal(CircuitState.Isolated, breaker.State);
        Assert.False(breaker.TryAcquire().IsGranted);
    }

    [Fact]
    public void StartBreak_opens_a_closed_circuit_for_its_break_then_the_next_call_probes()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);
        var changes = new List<(CircuitState From, CircuitState To, TimeSpan? Break)>();
        breaker.StateChanged += (_, e) => changes.Add((e.From, e.To, e.BreakDuration));

        breaker.StartBreak();

        Assert.Equal(CircuitState.Open, breaker.State);
        Assert.Equal(TimeSpan.FromSeconds(30), breaker.GetMetrics().RetryAfter);
        Assert.False(breaker.TryAcquire().IsGranted);
        Assert.Equal((0, 1, 1), (breaker.GetMetrics().FailedCalls, breaker.GetMetrics().RejectedCalls, breaker.GetMetrics().CircuitOpens));
        Assert.Equal([(CircuitState.Closed, CircuitState.Open, TimeSpan.FromSeconds(30))], changes);

        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(breaker.TryAcquire().IsGranted);
        _time.Advance(TimeSpan.FromSeconds(1));
        breaker.Succeed(2); // SuccessThreshold 2: the break was a real one, and its probes close it

        Assert.Equal(CircuitState.Closed, breaker.State);
    }

    [Fact]
    public void StartBreak_backs_off_like_a_break_its_failures_started()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o => { o.BreakDurationMultiplier = 2; o.MaxBreakDuration = TimeSpan.FromMinutes(5); });
        breaker.StartBreak();
        _time.Advance(TimeSpan.FromSeconds(30));
        breaker.Fail(); // the probe fails: the next break is twice as long

        Assert.Equal(TimeSpan.FromSeconds(60), breaker.GetMetrics().RetryAfter);
    }

    [Fact]
    public void StartBreak_on_an_open_circuit_starts_its_break_again_without_counting_a_new_open()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);
        int changes = 0;
        breaker.StateChanged += (_, _) => changes++;
        breaker.StartBreak();
        _time.Advance(TimeSpan.FromSeconds(20));

        breaker.StartBreak();

        Assert.Equal(TimeSpan.FromSeconds(30), breaker.GetMetrics().RetryAfter);
        Assert.Equal((1, 1L), (changes, breaker.GetMetrics().CircuitOpens));
    }

    [Theory]
    [InlineData("half-open")]
    [InlineData("isolated")]
    [InlineData("metrics-only")]
    public void StartBreak_opens_from_any_other_state_and_ends_metrics_only_mode(string from)
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);
        CircuitState expectedFrom = from switch
        {
            "half-open" => Arrange(() => { breaker.Trip(); _time.Advance(TimeSpan.FromSeconds(30)); _ = breaker.TryAcquire(); }, CircuitState.HalfOpen),
            "isolated" => Arrange(breaker.Isolate, CircuitState.Isolated),
            _ => Arrange(() => breaker.SetMetricsOnly(true), CircuitState.MetricsOnly),
        };
        CircuitStateChangedEventArgs? change = null;
        breaker.StateChanged += (_, e) => change = e;

        breaker.StartBreak();

        Assert.Equal(CircuitState.Open, breaker.State);
        Assert.Equal((expectedFrom, CircuitState.Open, false), (change!.From, change.To, change.IsMetricsOnly));
        Assert.False(breaker.TryAcquire().IsGranted);

        static CircuitState Arrange(Action arrange, CircuitState state)
        {
            arrange();
            return state;
        }
    }

    [Fact]
    public void EndBreak_makes_the_next_call_a_probe_and_the_half_open_period_starts_with_that_call()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);
        breaker.StartBreak();
        var changes = new List<(CircuitState, CircuitState)>();
        breaker.StateChanged += (_, e) => changes.Add((e.From, e.To));

        Assert.True(breaker.EndBreak());

        Assert.Equal(CircuitState.HalfOpen, breaker.State);
        Assert.True(breaker.GetMetrics().AwaitingProbe);
        Assert.Empty(changes); // a read-visible end of the break, not yet a transition
        CircuitPermit probe = breaker.TryAcquire();
        Assert.True(probe.IsGranted);
        Assert.Equal([(CircuitState.Open, CircuitState.HalfOpen)], changes);
        probe.RecordFailure(null);
        Assert.Equal(CircuitState.Open, breaker.State);
    }

    [Fact]
    public void EndBreak_leaves_a_circuit_that_is_not_open_alone()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);
        Assert.False(breaker.EndBreak());
        Assert.Equal(CircuitState.Closed, breaker.State);

        breaker.Isolate();
        Assert.False(breaker.EndBreak());
        Assert.Equal(CircuitState.Isolated, breaker.State);
        Assert.False(breaker.TryAcquire().IsGranted);
    }

    [Fact]
    public void StartBreak_on_an_open_circuit_never_shortens_a_break_a_Retry_After_asked_for()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, static o => o.ConsecutiveFailureThreshold = 1);
        breaker.TryAcquire().RecordFailure(null, FailureKind.HttpError, TimeSpan.FromMinutes(4));
        Assert.Equal(CircuitState.Open, breaker.State);

        breaker.StartBreak();
        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(CircuitState.Open, breaker.State);
        _time.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(CircuitState.HalfOpen, breaker.State);
    }

    [Fact]
    public void StartBreak_on_an_open_circuit_near_its_end_starts_its_break_again()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);
        breaker.StartBreak();
        _time.Advance(TimeSpan.FromSeconds(29));

        breaker.StartBreak();
        _time.Advance(TimeSpan.FromSeconds(29));

        Assert.Equal(CircuitState.Open, breaker.State);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(CircuitState.HalfOpen, breaker.State);
    }
}
