using System;
using System.Linq;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Runtime.Tests;

public sealed class StateMachineTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void A_new_breaker_is_closed_and_admits_calls()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);

        Assert.Equal(CircuitState.Closed, breaker.State);
        breaker.Succeed(100);
        Assert.Equal(CircuitState.Closed, breaker.State);
        Assert.Equal(100, breaker.GetMetrics().SuccessfulCalls);
    }

    [Fact]
    public void Closed_opens_when_the_failure_ratio_is_reached_with_enough_calls()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);

        breaker.Succeed(2);
        breaker.Fail(1);
        Assert.Equal(CircuitState.Closed, breaker.State); // 3 calls: below the minimum of 4
        breaker.Fail(1);

        Assert.Equal(CircuitState.Open, breaker.State); // 2 of 4 failed: 0.5
        Assert.Equal(1, breaker.GetMetrics().CircuitOpens);
    }

    [Fact]
    public void Failures_below_the_minimum_throughput_never_open_the_circuit()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o => o.MinimumThroughput = 5);

        breaker.Fail(4);

        Assert.Equal(CircuitState.Closed, breaker.State);
    }

    [Fact]
    public void The_failure_ratio_is_met_exactly_by_division()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o => { o.FailureRatio = 0.3; o.MinimumThroughput = 10; });

        breaker.Succeed(7);
        breaker.Fail(2);
        Assert.Equal(CircuitState.Closed, breaker.State);
        breaker.Fail(1);

        Assert.Equal(CircuitState.Open, breaker.State); // 3 of 10 meets 0.3
    }

    [Fact]
    public void A_success_can_trip_the_ratio_because_thresholds_are_checked_after_every_outcome()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o => { o.MinimumThroughput = 4; o.FailureRatio = 0.5; });

        breaker.Fail(2);
        breaker.Succeed(1);
        Assert.Equal(CircuitState.Closed, breaker.State); // 3 calls
        breaker.Succeed(1);

        Assert.Equal(CircuitState.Open, breaker.State); // 4 calls, 2 failed
    }

    [Fact]
    public void Open_rejects_until_the_break_ends_inclusive_then_half_opens()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);
        breaker.Trip();

        _time.Advance(TimeSpan.FromSeconds(30) - TimeSpan.FromTicks(1));
        Assert.False(breaker.TryAcquire().IsGranted);
        Assert.Equal(CircuitState.Open, breaker.State);

        _time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(CircuitState.HalfOpen, breaker.State);
        Assert.True(breaker.TryAcquire().IsGranted);
    }

    [Fact]
    public void A_break_of_an_odd_length_ends_exactly_on_time()
    {
        // 43 ms cannot be converted through floating-point seconds without losing a tick.
        CircuitBreaker breaker = TestBreakers.Create(_time, o => o.BreakDuration = TimeSpan.FromMilliseconds(43));
        breaker.Trip();

        _time.Advance(TimeSpan.FromMilliseconds(43) - TimeSpan.FromTicks(1));
        Assert.Equal(CircuitState.Open, breaker.State);
        Assert.Equal(TimeSpan.FromTicks(1), breaker.GetMetrics().RetryAfter);

        _time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(CircuitState.HalfOpen, breaker.State);
    }

    [Fact]
    public void The_half_open_transition_happens_on_TryAcquire_without_reading_State()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o => o.SuccessThreshold = 1);
        breaker.Trip();
        _time.Advance(TimeSpan.FromSeconds(30));

        CircuitPermit probe = breaker.TryAcquire();

        Assert.True(probe.IsGranted);
        probe.RecordSuccess();
        Assert.Equal(CircuitState.Closed, breaker.State);
    }

    [Fact]
    public void Half_open_closes_after_SuccessThreshold_probe_successes()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o => o.SuccessThreshold = 3);
        breaker.Trip();
        _time.Advance(TimeSpan.FromSeconds(30));

        breaker.Succeed(2);
        Assert.Equal(CircuitState.HalfOpen, breaker.State);
        breaker.Succeed(1);

        Assert.Equal(CircuitState.Closed, breaker.State);
        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        Assert.Equal(1, metrics.CircuitCloses);
        Assert.Equal(3, metrics.HalfOpenAttempts);
        Assert.Equal(0, metrics.WindowCalls); // a closed period starts with an empty window
    }

    [Fact]
    public void A_failed_probe_reopens_the_circuit_for_another_break()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);
        breaker.Trip();
        _time.Advance(TimeSpan.FromSeconds(30));

        breaker.Succeed(1);
        breaker.Fail(1);

        Assert.Equal(CircuitState.Open, breaker.State);
        Assert.Equal(2, breaker.GetMetrics().CircuitOpens);
        Assert.Equal(TimeSpan.FromSeconds(30), breaker.GetMetrics().RetryAfter);
    }

    [Fact]
    public void A_slow_successful_probe_counts_as_a_failed_probe()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);
        breaker.Trip();
        _time.Advance(TimeSpan.FromSeconds(30));

        CircuitPermit probe = breaker.TryAcquire();
        _time.Advance(TimeSpan.FromSeconds(5));
        probe.RecordSuccess();

        Assert.Equal(CircuitState.Open, breaker.State);
        Assert.Equal(1, breaker.GetMetrics().SuccessfulCalls); // it still succeeded, as far as the caller knows
    }

    [Fact]
    public void A_closed_circuit_after_recovery_judges_only_new_calls()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o => o.SuccessThreshold = 1);
        breaker.Trip();
        _time.Advance(TimeSpan.FromSeconds(30));
        breaker.Succeed(1);

        breaker.Fail(3);

        Assert.Equal(CircuitState.Closed, breaker.State); // the old failures were forgotten
    }

    [Fact]
    public void A_late_outcome_of_a_call_admitted_while_closed_decides_nothing()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o => o.SuccessThreshold = 1);
        CircuitPermit early = breaker.TryAcquire();
        CircuitPermit earlySuccess = breaker.TryAcquire();
        breaker.Trip();

        early.RecordFailure(null);
        Assert.Equal(TimeSpan.FromSeconds(30), breaker.GetMetrics().RetryAfter); // the break is not extended
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(CircuitState.HalfOpen, breaker.State);

        earlySuccess.RecordSuccess();
        Assert.Equal(CircuitState.HalfOpen, breaker.State); // only probes close the circuit

        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        Assert.Equal(1, metrics.SuccessfulCalls);
        Assert.Equal(5, metrics.FailedCalls); // 4 to trip, plus the late one: counted, not judged
    }

    [Fact]
    public void A_late_outcome_from_before_a_recovery_does_not_count_in_the_new_window()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o => { o.SuccessThreshold = 1; o.MinimumThroughput = 1; o.SlidingWindowSize = 1; });
        CircuitPermit early = breaker.TryAcquire();
        breaker.Fail(1);
        Assert.Equal(CircuitState.Open, breaker.State);
        _time.Advance(TimeSpan.FromSeconds(30));
        breaker.Succeed(1);
        Assert.Equal(CircuitState.Closed, breaker.State);

        early.RecordFailure(null);

        Assert.Equal(CircuitState.Closed, breaker.State);
        Assert.Equal(0, breaker.GetMetrics().WindowCalls);
    }

    [Fact]
    public void Consecutive_failures_open_the_circuit_below_the_minimum_throughput()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o => { o.ConsecutiveFailureThreshold = 3; o.MinimumThroughput = 100; o.SlidingWindowSize = 100; });

        breaker.Fail(2);
        breaker.Succeed(1);
        breaker.Fail(2);
        Assert.Equal(CircuitState.Closed, breaker.State); // a success broke the run
        breaker.Fail(1);

        Assert.Equal(CircuitState.Open, breaker.State);
    }

    [Fact]
    public void An_ignored_call_neither_breaks_nor_extends_a_run_of_failures()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o => { o.ConsecutiveFailureThreshold = 3; o.MinimumThroughput = 100; o.SlidingWindowSize = 100; });

        breaker.Fail(2);
        breaker.TryAcquire().RecordIgnored();
        Assert.Equal(CircuitState.Closed, breaker.State);
        breaker.Fail(1);

        Assert.Equal(CircuitState.Open, breaker.State);
        Assert.Equal(1, breaker.GetMetrics().IgnoredCalls);
    }

    [Fact]
    public void Slow_successes_trip_the_slow_call_ratio()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o => { o.SlowCallRatio = 0.5; o.SlowCallDuration = TimeSpan.FromSeconds(2); });

        breaker.Succeed(2);
        for (int i = 0; i < 2; i++)
        {
            CircuitPermit permit = breaker.TryAcquire();
            _time.Advance(TimeSpan.FromSeconds(2)); // exactly the slow-call duration is slow
            permit.RecordSuccess();
        }

        Assert.Equal(CircuitState.Open, breaker.State);
        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        Assert.Equal(0, metrics.FailedCalls);
        Assert.Equal(2, metrics.SlowCalls);
        Assert.Equal(0.5, metrics.SlowCallRate);
    }

    [Fact]
    public void A_call_just_under_the_slow_call_duration_is_not_slow()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o => o.SlowCallDuration = TimeSpan.FromMilliseconds(43));
        CallSucceededEventArgs? seen = null;
        breaker.CallSucceeded += (_, e) => seen = e;

        CircuitPermit permit = breaker.TryAcquire();
        _time.Advance(TimeSpan.FromMilliseconds(43) - TimeSpan.FromTicks(1));
        permit.RecordSuccess();

        Assert.NotNull(seen);
        Assert.False(seen.IsSlow);
        Assert.Equal(TimeSpan.FromMilliseconds(43) - TimeSpan.FromTicks(1), seen.Duration);
        Assert.Equal(0, breaker.GetMetrics().SlowCalls);
    }

    [Fact]
    public void A_slow_failure_counts_as_both_failure_and_slow_call()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o => { o.SlowCallRatio = 1.0; o.FailureRatio = 1.0; o.MinimumThroughput = 2; });

        breaker.Succeed(1);
        CircuitPermit permit = breaker.TryAcquire();
        _time.Advance(TimeSpan.FromSeconds(5));
        permit.RecordFailure(null, FailureKind.SlowCall);

        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        Assert.Equal(CircuitState.Closed, metrics.State);
        Assert.Equal(0.5, metrics.FailureRate);
        Assert.Equal(0.5, metrics.SlowCallRate);
        Assert.Equal(1, metrics.SlowCalls);
        Assert.Equal(1, metrics.FailedCalls);
    }

    [Fact]
    public void Rejections_are_counted_and_report_when_to_retry()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);
        breaker.Trip();
        _time.Advance(TimeSpan.FromSeconds(10));

        CircuitPermit rejected = breaker.TryAcquire();

        Assert.False(rejected.IsGranted);
        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        Assert.Equal(1, metrics.RejectedCalls);
        Assert.Equal(TimeSpan.FromSeconds(20), metrics.RetryAfter);
        Assert.Equal(metrics.SuccessfulCalls + metrics.FailedCalls + metrics.RejectedCalls + metrics.IgnoredCalls, metrics.TotalCalls);
    }

    [Fact]
    public void A_rejection_answered_by_a_fallback_counts_as_both_a_rejection_and_a_fallback()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);
        breaker.Trip();

        Assert.False(breaker.TryAcquire(rejectionUsesFallback: true).IsGranted);
        Assert.False(breaker.TryAcquire(rejectionUsesFallback: false).IsGranted);

        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        Assert.Equal(2, metrics.RejectedCalls);
        Assert.Equal(1, metrics.FallbackCalls);
    }

    [Fact]
    public void Metrics_only_mode_that_would_reject_counts_no_fallback_since_the_call_runs()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);
        breaker.SetMetricsOnly(true);
        breaker.Fail(4); // would have opened

        CircuitPermit permit = breaker.TryAcquire(rejectionUsesFallback: true);
        Assert.True(permit.IsGranted);
        permit.RecordSuccess();

        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        Assert.Equal(1, metrics.RejectedCalls);
        Assert.Equal(0, metrics.FallbackCalls);
    }

    [Fact]
    public void In_metrics_only_mode_a_would_be_rejection_counts_once_in_TotalCalls()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);
        breaker.SetMetricsOnly(true);
        breaker.Fail(4); // would have opened
        breaker.Succeed(1); // would have been rejected: it runs and succeeds

        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        Assert.Equal(1, metrics.RejectedCalls);
        Assert.Equal(5, metrics.TotalCalls);
    }

    [Fact]
    public void Recording_on_a_rejected_or_default_permit_throws()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);
        breaker.Trip();

        CircuitPermit rejected = breaker.TryAcquire();

        Assert.Throws<InvalidOperationException>(() => rejected.RecordSuccess());
        Assert.Throws<InvalidOperationException>(() => default(CircuitPermit).RecordFailure(null));
        Assert.False(default(CircuitPermit).IsGranted);
    }

    [Fact]
    public void Metrics_report_fallbacks_and_the_average_duration()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);

        CircuitPermit first = breaker.TryAcquire();
        _time.Advance(TimeSpan.FromMilliseconds(100));
        first.RecordSuccess();
        CircuitPermit second = breaker.TryAcquire();
        _time.Advance(TimeSpan.FromMilliseconds(300));
        second.RecordFailure(null);
        breaker.RecordFallback();

        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        Assert.Equal(TimeSpan.FromMilliseconds(200), metrics.AverageDuration);
        Assert.Equal(1, metrics.FallbackCalls);
        Assert.Equal(2, metrics.TotalCalls);
        Assert.Equal(0.5, metrics.FailureRate);
        Assert.Null(metrics.RetryAfter);
    }

    [Fact]
    public void Reconfigure_keeps_the_state_and_applies_new_thresholds()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);
        breaker.Trip();

        breaker.Reconfigure(new CircuitBreakerOptions { BreakDuration = TimeSpan.FromSeconds(5), SuccessThreshold = 1, MinimumThroughput = 4, SlidingWindowSize = 10 });

        Assert.Equal(CircuitState.Open, breaker.State);
        Assert.Equal(TimeSpan.FromSeconds(5), breaker.Options.BreakDuration);
        _time.Advance(TimeSpan.FromSeconds(30));
        breaker.Succeed(1);
        Assert.Equal(CircuitState.Closed, breaker.State); // the new success threshold of 1
    }

    [Fact]
    public void After_a_reconfiguration_lowers_the_ratio_below_the_windows_the_next_outcome_opens_even_a_success()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o => o.FailureRatio = 0.9);
        breaker.Fail(3);
        breaker.Succeed(1);
        Assert.Equal(CircuitState.Closed, breaker.State); // 3 failures in 4 calls: below 0.9

        // 3 in 4 is over 0.5: the thresholds are evaluated after every outcome, so the next call, a success, opens it.
        breaker.Reconfigure(new CircuitBreakerOptions { MinimumThroughput = 4, SlidingWindowSize = 10, FailureRatio = 0.5 });
        Assert.Equal(CircuitState.Closed, breaker.State);
        breaker.Succeed(1);

        Assert.Equal(CircuitState.Open, breaker.State);
        Assert.Equal(CircuitTransitionReason.FailureRatio, breaker.GetRecentEvents().First(e => e.Kind == CircuitBreakerEventKind.StateChanged).Reason);
    }

    [Fact]
    public void Reconfigure_keeps_the_window_unless_its_shape_changes()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);
        breaker.Fail(2);

        breaker.Reconfigure(new CircuitBreakerOptions { MinimumThroughput = 4, SlidingWindowSize = 10, FailureRatio = 0.9 });
        Assert.Equal(2, breaker.GetMetrics().WindowCalls);

        breaker.Reconfigure(new CircuitBreakerOptions { MinimumThroughput = 4, SlidingWindowSize = 20 });
        Assert.Equal(0, breaker.GetMetrics().WindowCalls);
    }

    [Fact]
    public void Reconfigure_with_invalid_options_throws_and_keeps_the_old_ones()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);

        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(() => breaker.Reconfigure(new CircuitBreakerOptions { SuccessThreshold = 0 }));

        Assert.Equal("SuccessThreshold", error.ParamName);
        Assert.Equal(2, breaker.Options.SuccessThreshold);
    }

    [Fact]
    public void The_options_a_breaker_reports_cannot_change_its_behaviour()
    {
        var options = new CircuitBreakerOptions { MinimumThroughput = 2, SlidingWindowSize = 2 };
        var breaker = new CircuitBreaker("copy", options, _time);

        options.MinimumThroughput = 50;
        breaker.Options.FailureRatio = 1.0;
        breaker.Fail(1);
        breaker.Succeed(1);

        Assert.Equal(CircuitState.Open, breaker.State);
    }

    [Fact]
    public void Options_is_a_new_copy_on_every_read_and_Timeout_reads_the_options_in_force()
    {
        var breaker = new CircuitBreaker("copies", new CircuitBreakerOptions { Timeout = TimeSpan.FromSeconds(2) }, _time);

        breaker.Options.Timeout = TimeSpan.FromSeconds(9);

        Assert.NotSame(breaker.Options, breaker.Options);
        Assert.Equal(TimeSpan.FromSeconds(2), breaker.Options.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(2), breaker.Timeout);
        breaker.Reconfigure(new CircuitBreakerOptions { Timeout = TimeSpan.FromSeconds(3) });
        Assert.Equal(TimeSpan.FromSeconds(3), breaker.Timeout);
    }

    [Fact]
    public void Raising_SuccessThreshold_while_half_open_adds_probe_slots_so_the_circuit_can_still_close()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time); // SuccessThreshold 2
        breaker.Trip();
        _time.Advance(TimeSpan.FromSeconds(30));
        breaker.Succeed(1);

        breaker.Reconfigure(new CircuitBreakerOptions { MinimumThroughput = 4, SlidingWindowSize = 10, BreakDuration = TimeSpan.FromSeconds(30), SuccessThreshold = 4 });

        Assert.Equal(CircuitState.HalfOpen, breaker.State);
        breaker.Succeed(3); // rejected before the fix: both of the period's two slots were used up
        Assert.Equal(CircuitState.Closed, breaker.State);
    }

    [Fact]
    public void Lowering_SuccessThreshold_while_half_open_closes_at_once_when_the_successes_already_meet_it()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o => o.SuccessThreshold = 3);
        breaker.Trip();
        _time.Advance(TimeSpan.FromSeconds(30));
        breaker.Succeed(2);
        Assert.Equal(CircuitState.HalfOpen, breaker.State);

        breaker.Reconfigure(new CircuitBreakerOptions { MinimumThroughput = 4, SlidingWindowSize = 10, BreakDuration = TimeSpan.FromSeconds(30), SuccessThreshold = 2 });

        Assert.Equal(CircuitState.Closed, breaker.State);
        Assert.Equal(1, breaker.GetMetrics().CircuitCloses);
    }

    [Fact]
    public void The_constructor_validates_its_arguments()
    {
        Assert.Throws<ArgumentException>(() => new CircuitBreaker(" ", null, _time));
        Assert.Throws<ArgumentNullException>(() => new CircuitBreaker(null!, null, _time));
        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(() => new CircuitBreaker("x", new CircuitBreakerOptions { FailureRatio = 2 }, _time));
        Assert.Equal("FailureRatio", error.ParamName);
    }

    [Fact]
    public void A_breaker_without_a_clock_uses_the_system_clock()
    {
        var breaker = new CircuitBreaker("system");

        Assert.Same(TimeProvider.System, breaker.TimeProvider);
        Assert.Equal("system (Closed)", breaker.ToString());
    }
}
