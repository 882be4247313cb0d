using System;
using System.Collections.Generic;
using System.Linq;
using Breaker.Tests.Shared;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Runtime.Tests;

/// <summary>Reads are reads: whoever observes a breaker, and however often, the breaker changes only when a call arrives.</summary>
[Collection(ProcessWideCollection.Name)]
public sealed class PureReadTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(250);

    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Observing_across_the_end_of_a_break_changes_nothing_until_a_call_arrives()
    {
        string name = TestBreakers.UniqueName("pure");
        var registry = new CircuitBreakerRegistry(_time);
        CircuitBreaker breaker = registry.GetOrAdd(name, static o =>
        {
            o.MinimumThroughput = 4;
            o.SlidingWindowSize = 10;
            o.BreakDuration = TimeSpan.FromSeconds(30);
            o.SuccessThreshold = 2;
        });
        breaker.Fail(4);
        CircuitBreakerMetrics opened = breaker.GetMetrics();
        Assert.Equal(CircuitState.Open, opened.State);

        var events = new List<string>();
        breaker.StateChanged += (_, e) => events.Add($"{e.From}->{e.To}");
        breaker.CallRejected += (_, _) => events.Add("rejected");
        breaker.CallSucceeded += (_, _) => events.Add("succeeded");
        breaker.CallFailed += (_, _) => events.Add("failed");
        using var meter = new BreakerMeterListener(name);

        // Every 250 ms for 40 s, each observer many times: the break (30 s) ends in the middle, exactly on a step.
        var seen = new List<CircuitState>();
        for (int step = 0; step < 160; step++)
        {
            _time.Advance(Step);
            for (int read = 0; read < 5; read++)
            {
                seen.Add(breaker.State);
                CircuitBreakerMetrics metrics = breaker.GetMetrics();
                Assert.Equal(opened with { State = metrics.State, AwaitingProbe = metrics.AwaitingProbe, RetryAfter = metrics.RetryAfter }, metrics);
                _ = breaker.CreateRejectedException();
                _ = breaker.GetStatus();
                _ = breaker.Changes;
                CircuitBreakerWindowMark mark = default;
                _ = breaker.TryReadWindow(ref mark, out _, out _);
                _ = breaker.CountRecentEvents(out _);
                _ = breaker.ToString();
                CircuitBreakerRegistrySummary summary = registry.GetSummary();
                _ = summary.ToString();
                Assert.Equal(metrics.State, summary.Breakers.Single().State);
                Assert.True(registry.TryGet(name, out _));
                meter.ObserveGauge();
            }
        }

        Assert.Empty(events);
        Assert.Empty(meter.Counted);

        // What the observers saw: open until the break's last instant, then half-open with no transition recorded.
        int openReads = seen.Count(static s => s == CircuitState.Open);
        Assert.Equal((30_000 / 250 - 1) * 5, openReads);
        Assert.All(seen.Skip(openReads), static s => Assert.Equal(CircuitState.HalfOpen, s));
        Assert.Equal(seen.Select(static s => (int)s), meter.Gauge);
        CircuitBreakerMetrics waiting = breaker.GetMetrics();
        Assert.True(waiting.AwaitingProbe);
        Assert.Null(waiting.RetryAfter);
        Assert.Equal((1L, 0L, 0L), (waiting.CircuitOpens, waiting.HalfOpenAttempts, waiting.RejectedCalls));

        // The first call after the break makes the one transition, with its one event.
        CircuitPermit probe = breaker.TryAcquire();
        Assert.True(probe.IsGranted);
        Assert.Equal(["Open->HalfOpen"], events);
        Assert.Equal(["breaker.state.transitions open->half_open"], meter.Counted);
        CircuitBreakerMetrics probing = breaker.GetMetrics();
        Assert.Equal((CircuitState.HalfOpen, false, 1L), (probing.State, probing.AwaitingProbe, probing.HalfOpenAttempts));
        probe.RecordSuccess();
    }

    [Fact]
    public void A_break_ends_at_its_last_instant_for_observers_as_for_calls()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);
        breaker.Trip();

        _time.Advance(TimeSpan.FromSeconds(30) - TimeSpan.FromTicks(1));
        Assert.Equal(CircuitState.Open, breaker.State);
        Assert.Equal(TimeSpan.FromTicks(1), breaker.GetMetrics().RetryAfter);

        _time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(CircuitState.HalfOpen, breaker.State);
        Assert.True(breaker.GetMetrics().AwaitingProbe);
        Assert.True(breaker.TryAcquire().IsGranted);
    }

    [Fact]
    public void Metrics_only_mode_reads_as_metrics_only_even_when_its_would_be_break_is_over()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);
        breaker.SetMetricsOnly(true);
        breaker.Fail(4);
        _time.Advance(TimeSpan.FromMinutes(1));

        CircuitBreakerMetrics metrics = breaker.GetMetrics();

        Assert.Equal((CircuitState.MetricsOnly, false), (metrics.State, metrics.AwaitingProbe));
        Assert.Equal(CircuitState.MetricsOnly, breaker.State);
        Assert.Equal(CircuitState.MetricsOnly, breaker.CreateRejectedException().State);
    }

    [Fact]
    public void A_rejection_that_races_the_end_of_the_break_describes_the_open_circuit()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);
        breaker.Trip();
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(breaker.TryAcquire().IsGranted);

        _time.Advance(TimeSpan.FromSeconds(1));
        BrokenCircuitException rejection = breaker.CreateRejectedException();

        Assert.Equal((CircuitState.Open, TimeSpan.Zero), (rejection.State, rejection.RetryAfter));
        Assert.Equal(CircuitState.HalfOpen, breaker.State);
    }
}
