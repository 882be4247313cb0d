using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Runtime.Tests;

/// <summary>
/// How long a break lasts: back-off, what the dependency asked for (a Retry-After reported on a permit), the hook, jitter
/// and the clamp, in the order docs/semantics.md gives. Each test watches what a user sees: the break the StateChanged
/// event reports, the wait a rejection reports, and the instant the first probe is let through.
/// </summary>
public sealed class BreakDurationTests
{
    private static readonly TimeSpan Break = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void The_hook_sees_the_outcome_that_opened_the_circuit_and_its_answer_is_the_break()
    {
        var contexts = new List<BreakContext>();
        CircuitBreaker breaker = TestBreakers.Create(_time, o =>
        {
            o.ConsecutiveFailureThreshold = 1;
            o.BreakDurationHook = c =>
            {
                contexts.Add(c);
                return TimeSpan.FromSeconds(7);
            };
        });
        List<TimeSpan> breaks = OpenBreaks(breaker);
        var error = new TimeoutException("slow");

        CircuitPermit permit = breaker.TryAcquire();
        permit.RecordFailure(error, FailureKind.Timeout);

        BreakContext context = Assert.Single(contexts);
        Assert.Same(breaker, context.Breaker);
        Assert.Equal(CircuitState.Closed, context.From);
        Assert.Equal(FailureKind.Timeout, context.FailureKind);
        Assert.Same(error, context.Exception);
        Assert.Null(context.RequestedBreak);
        Assert.Equal(1, context.ConsecutiveOpens);
        Assert.Equal(Break, context.BreakDuration);
        Assert.Equal([TimeSpan.FromSeconds(7)], breaks);
        AssertProbesAfter(breaker, TimeSpan.FromSeconds(7));
    }

    [Fact]
    public void After_a_failed_probe_the_hook_sees_the_probe_the_count_of_openings_and_the_backed_off_break()
    {
        var contexts = new List<BreakContext>();
        CircuitBreaker breaker = TestBreakers.Create(_time, o =>
        {
            o.SuccessThreshold = 1;
            o.BreakDurationMultiplier = 2;
            o.BreakDurationHook = c =>
            {
                contexts.Add(c);
                return null;
            };
        });
        List<TimeSpan> breaks = OpenBreaks(breaker);
        breaker.Trip();
        _time.Advance(Break);
        var error = new InvalidOperationException("still down");

        breaker.TryAcquire().RecordFailure(error);

        Assert.Equal(2, contexts.Count);
        BreakContext reopening = contexts[1];
        Assert.Equal(CircuitState.HalfOpen, reopening.From);
        Assert.Equal(FailureKind.Exception, reopening.FailureKind);
        Assert.Same(error, reopening.Exception);
        Assert.Equal(2, reopening.ConsecutiveOpens);
        Assert.Equal(TimeSpan.FromSeconds(60), reopening.BreakDuration);
        Assert.Equal([Break, TimeSpan.FromSeconds(60)], breaks);
    }

    [Fact]
    public void A_stuck_probe_a_slow_success_and_a_success_reaching_the_minimum_throughput_each_say_so()
    {
        var kinds = new List<(CircuitState From, FailureKind? Kind, Exception? Error)>();
        Func<BreakContext, TimeSpan?> hook = c =>
        {
            kinds.Add((c.From, c.FailureKind, c.Exception));
            return null;
        };

        // A probe still running a whole break after it started: no outcome opened the circuit.
        CircuitBreaker stuck = TestBreakers.Create(_time, o => { o.SuccessThreshold = 1; o.BreakDurationHook = hook; });
        stuck.Trip();
        _time.Advance(Break);
        Assert.True(stuck.TryAcquire().IsGranted);
        _time.Advance(Break);
        Assert.False(stuck.TryAcquire().IsGranted);
        Assert.Equal((CircuitState.HalfOpen, (FailureKind?)null, (Exception?)null), kinds[^1]);

        // A slow success that crosses the slow-call ratio.
        CircuitBreaker slow = TestBreakers.Create(_time, o => { o.ConsecutiveFailureThreshold = 0; o.MinimumThroughput = 1; o.BreakDurationHook = hook; });
        CircuitPermit slowCall = slow.TryAcquire();
        _time.Advance(TimeSpan.FromSeconds(5));
        slowCall.RecordSuccess();
        Assert.Equal(CircuitState.Open, slow.State);
        Assert.Equal((CircuitState.Closed, (FailureKind?)FailureKind.SlowCall, (Exception?)null), kinds[^1]);

        // Two failures out of four: the fourth call, a quick success, reaches the minimum throughput and opens it.
        CircuitBreaker armed = TestBreakers.Create(_time, o => o.BreakDurationHook = hook);
        armed.Fail(2);
        armed.Succeed(1);
        Assert.Equal(CircuitState.Closed, armed.State);
        armed.Succeed(1);
        Assert.Equal(CircuitState.Open, armed.State);
        Assert.Equal((CircuitState.Closed, (FailureKind?)null, (Exception?)null), kinds[^1]);
    }

    [Fact]
    public void The_hook_is_asked_only_when_the_circuit_opens()
    {
        int asked = 0;
        CircuitBreaker breaker = TestBreakers.Create(_time, o =>
        {
            o.SuccessThreshold = 1;
            o.BreakDurationHook = _ =>
            {
                asked++;
                return null;
            };
        });

        breaker.Succeed(20);
        breaker.Fail(1);
        breaker.Succeed(5);
        Assert.Equal(0, asked);
        breaker.Trip();
        for (int i = 0; i < 10; i++)
        {
            Assert.False(breaker.TryAcquire().IsGranted);
        }

        _ = breaker.GetMetrics();
        _ = breaker.CreateRejectedException();
        Assert.Equal(1, asked);
        _time.Advance(Break);
        breaker.Succeed(1);
        Assert.Equal(CircuitState.Closed, breaker.State);
        Assert.Equal(1, asked);
        Assert.Equal(breaker.GetMetrics().CircuitOpens, asked);
    }

    [Fact]
    public void A_hook_jitter_and_failures_asking_for_breaks_add_no_allocation_to_calls_that_do_not_open()
    {
        int asked = 0;
        TimeSpan? requested = null;
        CircuitBreaker breaker = TestBreakers.Create(_time, o =>
        {
            o.FailureRatio = 1.0;
            o.BreakJitterRatio = 0.2;
            o.BreakDurationHook = c =>
            {
                asked++;
                requested = c.RequestedBreak;
                return null;
            };
        });
        var error = new InvalidOperationException();
        RunClosedCalls(breaker, error); // warm-up: JIT and tiering

        long before = GC.GetAllocatedBytesForCurrentThread();
        RunClosedCalls(breaker, error);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(0, asked);
        Assert.Equal(CircuitState.Closed, breaker.State);

        // The longest wait those failures asked for is still remembered: the opening that follows hands it to the hook once.
        breaker.Trip();
        Assert.Equal(1, asked);
        Assert.Equal(TimeSpan.FromSeconds(60 + 62), requested); // i is even on failures, so i & 63 is at most 62
    }

    private static void RunClosedCalls(CircuitBreaker breaker, Exception error)
    {
        for (int i = 0; i < 2_000; i++)
        {
            CircuitPermit permit = breaker.TryAcquire();
            if ((i & 1) == 0)
            {
                permit.RecordFailure(error, FailureKind.Exception, TimeSpan.FromSeconds(60 + (i & 63)));
            }
            else
            {
                permit.RecordSuccess();
            }
        }
    }

    [Fact]
    public void A_hook_that_returns_null_keeps_the_backed_off_break()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o => o.BreakDurationHook = static _ => null);
        List<TimeSpan> breaks = OpenBreaks(breaker);

        breaker.Trip();

        Assert.Equal([Break], breaks);
        AssertProbesAfter(breaker, Break);
    }

    [Fact]
    public void A_hook_that_throws_opens_the_circuit_for_the_default_break_and_is_reported()
    {
        var failure = new InvalidOperationException("the hook is broken");
        CircuitBreaker breaker = TestBreakers.Create(_time, o => o.BreakDurationHook = _ => throw failure);
        var reports = new List<BreakDurationHookFailedEventArgs>();
        breaker.BreakDurationHookFailed += (_, e) => reports.Add(e);
        List<TimeSpan> breaks = OpenBreaks(breaker);

        breaker.Trip();

        Assert.Equal([Break], breaks);
        BreakDurationHookFailedEventArgs report = Assert.Single(reports);
        Assert.Same(breaker, report.Breaker);
        Assert.Same(failure, report.Error);
        Assert.Equal(Break, report.BreakDuration);
        AssertProbesAfter(breaker, Break);
    }

    public static TheoryData<long> NotPositive => new() { 0, -1, TimeSpan.FromSeconds(-30).Ticks, TimeSpan.MinValue.Ticks };

    [Theory]
    [MemberData(nameof(NotPositive))]
    public void A_hook_that_returns_a_break_that_is_not_positive_gets_the_default_and_is_reported(long ticks)
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o => o.BreakDurationHook = _ => TimeSpan.FromTicks(ticks));
        var reports = new List<BreakDurationHookFailedEventArgs>();
        breaker.BreakDurationHookFailed += (_, e) => reports.Add(e);
        List<TimeSpan> breaks = OpenBreaks(breaker);

        breaker.Trip();

        Assert.Equal([Break], breaks);
        ArgumentOutOfRangeException error = Assert.IsType<ArgumentOutOfRangeException>(Assert.Single(reports).Error);
        Assert.Equal("BreakDurationHook", error.ParamName);
        Assert.Equal(TimeSpan.FromTicks(ticks), error.ActualValue);
        Assert.Contains($"'{breaker.Name}' returned {TimeSpan.FromTicks(ticks)}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(30, 600, 1, 599, 599)]
    [InlineData(30, 600, 1, 601, 600)]               // held to MaxBreakDuration
    [InlineData(30, 600, 4, long.MaxValue, 600)]      // TimeSpan.MaxValue cannot overflow the end of the break
    [InlineData(3600, 600, 1, 7200, 3600)]            // without back-off a longer configured break is the longest
    [InlineData(30, 600, 1, 1, 1)]                    // the hook may shorten the configured break
    public void The_hooks_answer_is_held_to_the_longest_break(int breakSeconds, int maxSeconds, double multiplier, long answerSeconds, int expectedSeconds)
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o =>
        {
            o.BreakDuration = TimeSpan.FromSeconds(breakSeconds);
            o.MaxBreakDuration = TimeSpan.FromSeconds(maxSeconds);
            o.BreakDurationMultiplier = multiplier;
            o.BreakDurationHook = _ => answerSeconds == long.MaxValue ? TimeSpan.MaxValue : TimeSpan.FromSeconds(answerSeconds);
        });
        List<TimeSpan> breaks = OpenBreaks(breaker);

        breaker.Trip();

        Assert.Equal([TimeSpan.FromSeconds(expectedSeconds)], breaks);
        AssertProbesAfter(breaker, TimeSpan.FromSeconds(expectedSeconds));
    }

    [Fact]
    public void A_hook_that_calls_through_its_own_breaker_cannot_recurse_and_opens_once()
    {
        int asked = 0;
        CircuitBreaker? breaker = null;
        breaker = TestBreakers.Create(_time, o =>
        {
            o.ConsecutiveFailureThreshold = 1;
            o.BreakDurationHook = _ =>
            {
                asked++;
                try
                {
                    // The circuit is still closed while its break is chosen: this call runs, fails, and would open it again.
                    breaker!.Execute(static () => throw new InvalidOperationException("from the hook"));
                }
                catch (InvalidOperationException)
                {
                }

                return TimeSpan.FromSeconds(10);
            };
        });
        List<TimeSpan> breaks = OpenBreaks(breaker);

        breaker.Fail();

        Assert.Equal(1, asked);
        Assert.Equal([TimeSpan.FromSeconds(10)], breaks);
        Assert.Equal(1, breaker.GetMetrics().CircuitOpens);
        Assert.Equal(2, breaker.GetMetrics().FailedCalls);
    }

    [Fact]
    public void A_hook_that_resets_or_isolates_its_own_breaker_has_its_way()
    {
        CircuitBreaker? reset = null;
        reset = TestBreakers.Create(_time, o =>
        {
            o.ConsecutiveFailureThreshold = 1;
            o.BreakDurationHook = _ =>
            {
                reset!.Reset();
                return TimeSpan.FromSeconds(10);
            };
        });
        reset.Fail();
        Assert.Equal(CircuitState.Closed, reset.State);
        Assert.Equal(0, reset.GetMetrics().CircuitOpens);
        Assert.True(reset.TryAcquire().IsGranted);

        CircuitBreaker? isolated = null;
        isolated = TestBreakers.Create(_time, o =>
        {
            o.ConsecutiveFailureThreshold = 1;
            o.BreakDurationHook = _ =>
            {
                isolated!.Isolate();
                return TimeSpan.FromSeconds(10);
            };
        });
        isolated.Fail();
        Assert.Equal(CircuitState.Isolated, isolated.State);
    }

    [Fact]
    public void A_requested_break_longer_than_the_configured_one_is_the_break()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o => o.ConsecutiveFailureThreshold = 1);
        List<TimeSpan> breaks = OpenBreaks(breaker);

        breaker.TryAcquire().RecordFailure(null, FailureKind.HttpError, TimeSpan.FromSeconds(120));

        Assert.Equal([TimeSpan.FromSeconds(120)], breaks);
        BrokenCircuitException rejection = breaker.CreateRejectedException();
        Assert.Equal(TimeSpan.FromSeconds(120), rejection.RetryAfter);
        AssertProbesAfter(breaker, TimeSpan.FromSeconds(120));
    }

    public static TheoryData<long> NoRequest => new() { 0, -1, TimeSpan.FromSeconds(-120).Ticks, TimeSpan.MinValue.Ticks, TimeSpan.FromSeconds(10).Ticks };

    [Theory]
    [MemberData(nameof(NoRequest))]
    public void A_requested_break_never_shortens_the_configured_one(long requestedTicks)
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o => o.ConsecutiveFailureThreshold = 1);
        List<TimeSpan> breaks = OpenBreaks(breaker);

        breaker.TryAcquire().RecordFailure(null, FailureKind.HttpError, TimeSpan.FromTicks(requestedTicks));

        Assert.Equal([Break], breaks);
        AssertProbesAfter(breaker, Break);
    }

    [Theory]
    [InlineData(1, 600, 600)]
    [InlineData(2, 600, 600)]
    [InlineData(1, 60, 60)]
    public void A_huge_requested_break_is_held_to_the_longest_break(double multiplier, int maxSeconds, int expectedSeconds)
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o =>
        {
            o.ConsecutiveFailureThreshold = 1;
            o.BreakDurationMultiplier = multiplier;
            o.MaxBreakDuration = TimeSpan.FromSeconds(maxSeconds);
            o.MaxRetryAfter = TimeSpan.FromHours(1);
        });
        List<TimeSpan> breaks = OpenBreaks(breaker);

        breaker.TryAcquire().RecordFailure(null, FailureKind.HttpError, TimeSpan.MaxValue);

        Assert.Equal([TimeSpan.FromSeconds(expectedSeconds)], breaks);
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), breaker.GetMetrics().RetryAfter);
    }

    [Fact]
    public void A_requested_break_is_held_to_its_own_cap_and_a_lower_cap_set_later_holds_what_is_left()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, static o =>
        {
            o.ConsecutiveFailureThreshold = 2;
            o.MaxRetryAfter = TimeSpan.FromMinutes(2);
        });
        List<TimeSpan> breaks = OpenBreaks(breaker);

        breaker.TryAcquire().RecordFailure(null, FailureKind.HttpError, TimeSpan.FromSeconds(1800));
        CircuitBreakerOptions lower = breaker.Options;
        lower.MaxRetryAfter = TimeSpan.FromMinutes(1);
        breaker.Reconfigure(lower);
        breaker.TryAcquire().RecordFailure(null); // an ordinary failure opens it

        Assert.Equal([TimeSpan.FromMinutes(1)], breaks);
    }

    [Fact]
    public void A_request_below_the_thresholds_opens_nothing_but_holds_a_later_opening_to_what_is_left_of_it()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);
        List<TimeSpan> breaks = OpenBreaks(breaker);

        breaker.Succeed(3);
        breaker.TryAcquire().RecordFailure(null, FailureKind.HttpError, TimeSpan.FromSeconds(120));
        Assert.Equal(CircuitState.Closed, breaker.State);
        Assert.Equal(1, breaker.GetMetrics().FailedCalls);

        _time.Advance(TimeSpan.FromSeconds(45));
        breaker.Trip();

        Assert.Equal([TimeSpan.FromSeconds(75)], breaks);
        AssertProbesAfter(breaker, TimeSpan.FromSeconds(75));
    }

    [Fact]
    public void A_request_whose_wait_is_over_before_the_circuit_opens_changes_nothing()
    {
        // The wait ends at the very instant the circuit opens: none is running, so the hook is told of none.
        var seen = new List<TimeSpan?>();
        CircuitBreaker breaker = TestBreakers.Create(_time, o => o.BreakDurationHook = c =>
        {
            seen.Add(c.RequestedBreak);
            return null;
        });
        List<TimeSpan> breaks = OpenBreaks(breaker);

        breaker.TryAcquire().RecordFailure(null, FailureKind.HttpError, TimeSpan.FromSeconds(40));
        _time.Advance(TimeSpan.FromSeconds(40));
        breaker.Trip();

        Assert.Equal([null], seen);
        Assert.Equal([Break], breaks);
    }

    [Fact]
    public void A_request_holds_every_opening_until_its_wait_is_over()
    {
        // The hook cuts the first break short; the probe fails, and the reopening still honours what is left of the wait.
        CircuitBreaker breaker = TestBreakers.Create(_time, o =>
        {
            o.SuccessThreshold = 1;
            o.ConsecutiveFailureThreshold = 1;
            o.BreakDurationHook = static c => c.ConsecutiveOpens == 1 ? TimeSpan.FromSeconds(5) : null;
        });
        List<TimeSpan> breaks = OpenBreaks(breaker);

        breaker.TryAcquire().RecordFailure(null, FailureKind.HttpError, TimeSpan.FromSeconds(90));
        _time.Advance(TimeSpan.FromSeconds(5));
        breaker.Fail();

        Assert.Equal([TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(85)], breaks);
    }

    [Fact]
    public void A_request_is_forgotten_when_the_circuit_closes_and_when_it_is_reset()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o =>
        {
            o.SuccessThreshold = 1;
            o.BreakDurationHook = static c => c.RequestedBreak is null ? null : TimeSpan.FromSeconds(5);
        });
        List<TimeSpan> breaks = OpenBreaks(breaker);

        breaker.TryAcquire().RecordFailure(null, FailureKind.HttpError, TimeSpan.FromMinutes(20));
        breaker.Reset();
        breaker.Trip();
        Assert.Equal([Break], breaks);

        _time.Advance(Break);
        breaker.Succeed(1);
        breaker.TryAcquire().RecordFailure(null, FailureKind.HttpError, TimeSpan.FromMinutes(20));
        breaker.Trip();
        Assert.Equal([Break, TimeSpan.FromSeconds(5)], breaks);

        // The probe closes the circuit while the 20 minutes asked for still run: the next opening knows nothing of them.
        _time.Advance(TimeSpan.FromSeconds(5));
        breaker.Succeed(1);
        Assert.Equal(CircuitState.Closed, breaker.State);
        breaker.Trip();
        Assert.Equal([Break, TimeSpan.FromSeconds(5), Break], breaks);
    }

    [Fact]
    public void Of_several_requests_the_latest_end_wins()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);
        List<TimeSpan> breaks = OpenBreaks(breaker);

        breaker.TryAcquire().RecordFailure(null, FailureKind.HttpError, TimeSpan.FromSeconds(90));
        breaker.TryAcquire().RecordFailure(null, FailureKind.HttpError, TimeSpan.FromSeconds(50));
        _time.Advance(TimeSpan.FromSeconds(10));
        breaker.TryAcquire().RecordFailure(null, FailureKind.HttpError, TimeSpan.FromSeconds(60));
        breaker.Fail();

        Assert.Equal([TimeSpan.FromSeconds(80)], breaks);
    }

    [Fact]
    public void A_failed_probe_that_asks_for_a_break_reopens_for_it_over_the_back_off()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o => { o.SuccessThreshold = 1; o.BreakDurationMultiplier = 2; });
        List<TimeSpan> breaks = OpenBreaks(breaker);
        breaker.Trip();
        _time.Advance(Break);

        breaker.TryAcquire().RecordFailure(null, FailureKind.HttpError, TimeSpan.FromSeconds(100));

        Assert.Equal([Break, TimeSpan.FromSeconds(100)], breaks);
        AssertProbesAfter(breaker, TimeSpan.FromSeconds(100));
    }

    [Fact]
    public void A_late_outcome_that_asks_for_a_break_decides_nothing()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o => o.SuccessThreshold = 1);
        List<TimeSpan> breaks = OpenBreaks(breaker);
        CircuitPermit late = breaker.TryAcquire();
        breaker.Trip();

        late.RecordFailure(null, FailureKind.HttpError, TimeSpan.FromMinutes(10));
        Assert.Equal(TimeSpan.FromSeconds(30), breaker.GetMetrics().RetryAfter);
        _time.Advance(Break);
        breaker.Fail();

        Assert.Equal([Break, Break], breaks);
    }

    [Fact]
    public void The_hook_sees_the_request_and_may_take_it_exactly_even_below_the_configured_break()
    {
        var seen = new List<TimeSpan?>();
        CircuitBreaker breaker = TestBreakers.Create(_time, o =>
        {
            o.ConsecutiveFailureThreshold = 1;
            o.BreakDurationHook = c =>
            {
                seen.Add(c.RequestedBreak);
                return c.RequestedBreak;
            };
        });
        List<TimeSpan> breaks = OpenBreaks(breaker);

        breaker.TryAcquire().RecordFailure(null, FailureKind.HttpError, TimeSpan.FromSeconds(5));

        Assert.Equal([TimeSpan.FromSeconds(5)], seen);
        Assert.Equal([TimeSpan.FromSeconds(5)], breaks);
    }

    [Fact]
    public void Jitter_spreads_breaks_within_the_ratio_either_way()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o => { o.SuccessThreshold = 1; o.BreakJitterRatio = 0.1; });
        List<TimeSpan> breaks = OpenBreaks(breaker);

        for (int i = 0; i < 200; i++)
        {
            breaker.Trip();
            _time.Advance(breaks[^1]);
            breaker.Succeed(1);
        }

        Assert.All(breaks, b => Assert.InRange(b, TimeSpan.FromSeconds(27), TimeSpan.FromSeconds(33)));
        Assert.Contains(breaks, b => b < Break);
        Assert.Contains(breaks, b => b > Break);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(30)] // as long as the configured break: still what the dependency asked for, so no probe comes before its time
    public void Jitter_only_lengthens_a_break_the_dependency_asked_for(int requestedSeconds)
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o => { o.SuccessThreshold = 1; o.ConsecutiveFailureThreshold = 1; o.BreakJitterRatio = 0.5; });
        List<TimeSpan> breaks = OpenBreaks(breaker);
        var requested = TimeSpan.FromSeconds(requestedSeconds);

        for (int i = 0; i < 100; i++)
        {
            breaker.TryAcquire().RecordFailure(null, FailureKind.HttpError, requested);
            _time.Advance(breaks[^1]);
            breaker.Succeed(1);
        }

        Assert.All(breaks, b => Assert.InRange(b, requested, requested * 1.5));
        Assert.True(breaks.Distinct().Count() > 1);
    }

    [Fact]
    public void Jitter_never_takes_a_break_past_the_longest_one()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o =>
        {
            o.SuccessThreshold = 1;
            o.BreakDurationMultiplier = 10;
            o.MaxBreakDuration = TimeSpan.FromSeconds(60);
            o.BreakJitterRatio = 0.9;
        });
        List<TimeSpan> breaks = OpenBreaks(breaker);
        breaker.Trip();

        for (int i = 0; i < 100; i++)
        {
            _time.Advance(breaks[^1]);
            breaker.Fail();
        }

        Assert.All(breaks, b => Assert.InRange(b, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(60)));
        Assert.Contains(breaks, b => b == TimeSpan.FromSeconds(60));
    }

    [Fact]
    public void A_seed_replays_the_same_breaks_for_the_same_name_and_spreads_other_names_differently()
    {
        List<TimeSpan> first = SeededBreaks("orders", seed: 7);
        List<TimeSpan> again = SeededBreaks("orders", seed: 7);
        List<TimeSpan> otherName = SeededBreaks("payments", seed: 7);
        List<TimeSpan> otherSeed = SeededBreaks("orders", seed: 8);

        Assert.Equal(first, again);
        Assert.NotEqual(first, otherName);
        Assert.NotEqual(first, otherSeed);
        Assert.All(first, b => Assert.InRange(b, TimeSpan.FromSeconds(27), TimeSpan.FromSeconds(33)));
    }

    [Fact]
    public void Jitter_applies_to_the_hooks_answer_once_per_opening()
    {
        int asked = 0;
        CircuitBreaker breaker = TestBreakers.Create(_time, o =>
        {
            o.BreakJitterRatio = 0.2;
            o.BreakJitterSeed = 1;
            o.BreakDurationHook = _ =>
            {
                asked++;
                return TimeSpan.FromSeconds(100);
            };
        });
        List<TimeSpan> breaks = OpenBreaks(breaker);

        breaker.Trip();

        Assert.Equal(1, asked);
        TimeSpan chosen = Assert.Single(breaks);
        Assert.InRange(chosen, TimeSpan.FromSeconds(80), TimeSpan.FromSeconds(120));
        Assert.Equal(chosen, breaker.GetMetrics().RetryAfter);
        AssertProbesAfter(breaker, chosen);
    }

    [Fact]
    public void In_metrics_only_mode_the_would_be_break_is_chosen_the_same_way()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o => { o.ConsecutiveFailureThreshold = 1; o.BreakDurationHook = static _ => TimeSpan.FromSeconds(12); });
        breaker.SetMetricsOnly(true);
        var changes = new List<CircuitStateChangedEventArgs>();
        breaker.StateChanged += (_, e) => changes.Add(e);

        breaker.Fail();

        CircuitStateChangedEventArgs opened = Assert.Single(changes);
        Assert.True(opened.IsMetricsOnly);
        Assert.Equal(TimeSpan.FromSeconds(12), opened.BreakDuration);
        Assert.True(breaker.TryAcquire().IsGranted);
    }

    [Fact]
    public void In_metrics_only_mode_a_call_the_circuit_would_have_rejected_asks_for_no_break()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o => { o.ConsecutiveFailureThreshold = 1; o.SuccessThreshold = 1; });
        breaker.SetMetricsOnly(true);
        List<TimeSpan> breaks = OpenBreaks(breaker);
        breaker.Fail(); // would open for 30 s

        // Let through only because of metrics-only mode: its Retry-After decides nothing.
        CircuitPermit observed = breaker.TryAcquire();
        Assert.True(observed.IsGranted);
        observed.RecordFailure(null, FailureKind.HttpError, TimeSpan.FromMinutes(4));
        _time.Advance(Break);
        breaker.Fail(); // the would-be probe fails

        Assert.Equal([Break, Break], breaks);
    }

    [Fact]
    public void TryOpen_shares_the_break_the_wait_asked_for_the_hook_and_the_jitter_chose_once()
    {
        var contexts = new List<BreakContext>();
        CircuitBreaker breaker = TestBreakers.Create(_time, o =>
        {
            o.BreakJitterRatio = 0.1;
            o.BreakDurationHook = c =>
            {
                contexts.Add(c);
                return null;
            };
        });
        List<TimeSpan> breaks = OpenBreaks(breaker);

        // Below its own thresholds, a failure asked for two minutes; ten seconds later the fleet's evidence opens the circuit.
        breaker.TryAcquire().RecordFailure(null, FailureKind.HttpError, TimeSpan.FromSeconds(120));
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(breaker.TryOpen(out TimeSpan shared));

        BreakContext context = Assert.Single(contexts);
        Assert.Equal((CircuitState.Closed, (FailureKind?)null, TimeSpan.FromSeconds(110)), (context.From, context.FailureKind, context.RequestedBreak));
        Assert.Equal([shared], breaks);
        Assert.InRange(shared, TimeSpan.FromSeconds(110), TimeSpan.FromSeconds(121));
        Assert.Equal(shared, breaker.GetMetrics().RetryAfter);
    }

    [Fact]
    public void A_break_decided_elsewhere_is_neither_asked_of_the_hook_nor_jittered_again()
    {
        int asked = 0;
        CircuitBreaker receiver = TestBreakers.Create(_time, o =>
        {
            o.BreakJitterRatio = 0.5;
            o.BreakDurationHook = _ =>
            {
                asked++;
                return TimeSpan.FromSeconds(1);
            };
        });

        Assert.True(receiver.OpenFor(TimeSpan.FromSeconds(45)));

        Assert.Equal(0, asked);
        Assert.Equal(TimeSpan.FromSeconds(45), receiver.GetMetrics().RetryAfter);
    }

    [Fact]
    public void A_break_opened_for_a_fleet_takes_the_break_the_fleet_shares_even_a_shorter_one()
    {
        // Two instances decided to open the fleet at once: this one drew a longer break, the other's was shared.
        CircuitBreaker loser = TestBreakers.Create(_time, o => o.BreakDurationHook = static _ => TimeSpan.FromSeconds(50));
        Assert.True(loser.TryOpen(out TimeSpan own));
        Assert.Equal(TimeSpan.FromSeconds(50), own);

        Assert.False(loser.OpenFor(TimeSpan.FromSeconds(35)));

        Assert.Equal(TimeSpan.FromSeconds(35), loser.GetMetrics().RetryAfter);

        // A break its own failures started is never shortened from elsewhere.
        CircuitBreaker tripped = TestBreakers.Create(_time, o => o.BreakDurationHook = static _ => TimeSpan.FromSeconds(50));
        tripped.Trip();
        Assert.False(tripped.OpenFor(TimeSpan.FromSeconds(35)));
        Assert.Equal(TimeSpan.FromSeconds(50), tripped.GetMetrics().RetryAfter);
    }

    [Fact]
    public void TryOpen_whose_hook_resets_the_breaker_opens_nothing_and_shares_nothing()
    {
        CircuitBreaker? breaker = null;
        breaker = TestBreakers.Create(_time, o => o.BreakDurationHook = _ =>
        {
            breaker!.Reset();
            return TimeSpan.FromSeconds(10);
        });

        Assert.False(breaker.TryOpen(out TimeSpan shared));

        Assert.Equal(TimeSpan.Zero, shared);
        Assert.Equal(CircuitState.Closed, breaker.State);
        Assert.False(breaker.CloseIfOpenedElsewhere());
    }

    private List<TimeSpan> SeededBreaks(string name, int seed)
    {
        CircuitBreaker breaker = TestBreakers.Create(new FakeTimeProvider(), o => { o.SuccessThreshold = 1; o.BreakJitterRatio = 0.1; o.BreakJitterSeed = seed; }, name);
        List<TimeSpan> breaks = OpenBreaks(breaker);
        var time = (FakeTimeProvider)breaker.TimeProvider;
        for (int i = 0; i < 20; i++)
        {
            breaker.Trip();
            time.Advance(breaks[^1]);
            breaker.Succeed(1);
        }

        return breaks;
    }

    /// <summary>The break of every opening, as the StateChanged event reports it.</summary>
    private static List<TimeSpan> OpenBreaks(CircuitBreaker breaker)
    {
        var breaks = new List<TimeSpan>();
        breaker.StateChanged += (_, e) =>
        {
            if (e.To == CircuitState.Open)
            {
                breaks.Add(e.BreakDuration!.Value);
            }
        };
        return breaks;
    }

    /// <summary>The circuit rejects until one tick before <paramref name="breakDuration"/> has passed, and lets a probe through at that instant.</summary>
    private void AssertProbesAfter(CircuitBreaker breaker, TimeSpan breakDuration)
    {
        _time.Advance(breakDuration - TimeSpan.FromTicks(1));
        Assert.False(breaker.TryAcquire().IsGranted);
        Assert.Equal(TimeSpan.FromTicks(1), breaker.CreateRejectedException().RetryAfter);
        _time.Advance(TimeSpan.FromTicks(1));
        CircuitPermit probe = breaker.TryAcquire();
        Assert.True(probe.IsGranted);
        probe.RecordIgnored();
    }
}
