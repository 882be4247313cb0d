using System;
using System.Collections.Generic;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Runtime.Tests;

/// <summary>
/// <see cref="CircuitBreakerOptions.CountSlowCallsInFlight"/>: a dependency that stops answering opens the circuit once
/// the calls sent to it have run past the slow-call duration, before any of them ends.
/// </summary>
public sealed class SlowCallsInFlightTests
{
    private static readonly TimeSpan Gap = TimeSpan.FromMilliseconds(20);
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Calls_that_hang_open_the_circuit_before_any_of_them_ends()
    {
        CircuitBreaker breaker = Create(inFlight: true);
        var reasons = new List<CircuitTransitionReason>();
        breaker.StateChanged += (_, e) => reasons.Add(e.Reason);
        Healthy(breaker, TimeSpan.FromSeconds(20));

        List<CircuitPermit> hanging = Hang(breaker, TimeSpan.FromSeconds(5));

        Assert.Equal(CircuitState.Open, breaker.State);
        Assert.Equal([CircuitTransitionReason.SlowCallsInFlight], reasons);
        // Opened after one slow-call duration (1 s) and a few slots, long before the 5 s a timeout would take; none ended.
        Assert.InRange(hanging.Count, 50, 100);
        Assert.Equal(0, breaker.GetMetrics().FailedCalls);
        Assert.False(breaker.TryAcquire().IsGranted);
    }

    [Fact]
    public void Without_the_option_the_same_hang_leaves_the_circuit_closed_until_calls_end()
    {
        CircuitBreaker breaker = Create(inFlight: false);
        Healthy(breaker, TimeSpan.FromSeconds(20));

        List<CircuitPermit> hanging = Hang(breaker, TimeSpan.FromSeconds(5));

        Assert.Equal(CircuitState.Closed, breaker.State);
        Assert.Equal(250, hanging.Count);
    }

    [Fact]
    public void Slow_calls_that_end_before_the_slow_call_duration_never_open_it()
    {
        CircuitBreaker breaker = Create(inFlight: true);

        // Every call runs 900 ms of a 1 s slow-call duration, 45 of them at once.
        var running = new Queue<(CircuitPermit Permit, DateTimeOffset Ends)>();
        for (int i = 0; i < 500; i++)
        {
            while (running.Count > 0 && running.Peek().Ends <= _time.GetUtcNow())
            {
                running.Dequeue().Permit.RecordSuccess();
            }

            CircuitPermit permit = breaker.TryAcquire();
            Assert.True(permit.IsGranted);
            running.Enqueue((permit, _time.GetUtcNow() + TimeSpan.FromMilliseconds(900)));
            _time.Advance(Gap);
        }

        Assert.Equal(CircuitState.Closed, breaker.State);
        Assert.Equal(0, breaker.GetMetrics().SlowCallRate);
    }

    [Fact]
    public void Fewer_stuck_calls_than_the_minimum_throughput_open_nothing()
    {
        CircuitBreaker breaker = Create(inFlight: true, o => o.MinimumThroughput = 100);

        // 50 calls per second: at most 100 start in the two seconds judged, and never 100 of them.
        List<CircuitPermit> hanging = Hang(breaker, TimeSpan.FromSeconds(5));

        Assert.Equal(CircuitState.Closed, breaker.State);
        Assert.Equal(250, hanging.Count);
    }

    [Fact]
    public void Calls_stuck_before_a_close_do_not_open_the_next_closed_period()
    {
        CircuitBreaker breaker = Create(inFlight: true);
        Healthy(breaker, TimeSpan.FromSeconds(2));
        List<CircuitPermit> stale = Hang(breaker, TimeSpan.FromSeconds(5));
        Assert.Equal(CircuitState.Open, breaker.State);

        breaker.Reset();
        Healthy(breaker, TimeSpan.FromSeconds(5));

        Assert.Equal(CircuitState.Closed, breaker.State);
        foreach (CircuitPermit permit in stale)
        {
            permit.RecordFailure(new TimeoutException(), FailureKind.Timeout);
        }

        Assert.Equal(CircuitState.Closed, breaker.State);
    }

    [Fact]
    public void Calls_started_before_the_option_was_turned_on_are_not_judged_and_ending_them_harms_nothing()
    {
        CircuitBreaker breaker = Create(inFlight: false);
        List<CircuitPermit> before = Hang(breaker, TimeSpan.FromSeconds(2));

        CircuitBreakerOptions options = breaker.Options;
        options.CountSlowCallsInFlight = true;
        breaker.Reconfigure(options);
        Healthy(breaker, TimeSpan.FromSeconds(3));
        Assert.Equal(CircuitState.Closed, breaker.State);

        // Their ends were never counted as starts: the counts of the calls after them stay exact, so a hang still opens.
        foreach (CircuitPermit permit in before)
        {
            permit.RecordIgnored();
        }

        Hang(breaker, TimeSpan.FromSeconds(3));
        Assert.Equal(CircuitState.Open, breaker.State);
    }

    [Fact]
    public void Turning_the_option_off_stops_judging_calls_in_flight()
    {
        CircuitBreaker breaker = Create(inFlight: true);
        Healthy(breaker, TimeSpan.FromSeconds(2));
        CircuitBreakerOptions options = breaker.Options;
        options.CountSlowCallsInFlight = false;
        breaker.Reconfigure(options);

        Hang(breaker, TimeSpan.FromSeconds(4));

        Assert.Equal(CircuitState.Closed, breaker.State);
    }

    [Fact]
    public void A_clock_that_jumps_far_ahead_and_back_neither_throws_nor_opens_on_healthy_calls()
    {
        CircuitBreaker breaker = Create(inFlight: true);
        Healthy(breaker, TimeSpan.FromSeconds(1));
        _time.Advance(TimeSpan.FromDays(3650));
        Healthy(breaker, TimeSpan.FromSeconds(3));

        Assert.Equal(CircuitState.Closed, breaker.State);
    }

    [Fact]
    public void The_closed_path_allocates_nothing_with_the_option_on()
    {
        CircuitBreaker breaker = Create(inFlight: true);
        Healthy(breaker, TimeSpan.FromSeconds(1));

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1_000; i++)
        {
            CircuitPermit permit = breaker.TryAcquire();
            _time.Advance(TimeSpan.FromMilliseconds(5));
            permit.RecordSuccess();
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void The_option_is_off_by_default_and_a_change_is_recorded_by_name()
    {
        Assert.False(new CircuitBreakerOptions().CountSlowCallsInFlight);
        CircuitBreaker breaker = Create(inFlight: false);
        CircuitBreakerOptions options = breaker.Options;
        options.CountSlowCallsInFlight = true;
        breaker.Reconfigure(options);

        Assert.Contains(breaker.GetRecentEvents(), e => e.Detail is { } m && m.Contains("CountSlowCallsInFlight False → True", StringComparison.Ordinal));
    }

    [Fact]
    public void Calls_from_many_threads_that_all_end_quickly_never_look_stuck()
    {
        CircuitBreaker breaker = Create(inFlight: true);
        const int Threads = 4;
        const int CallsPerThread = 5_000;
        using var done = new System.Threading.CountdownEvent(Threads);
        for (int t = 0; t < Threads; t++)
        {
            new System.Threading.Thread(() =>
            {
                for (int i = 0; i < CallsPerThread; i++)
                {
                    CircuitPermit permit = breaker.TryAcquire();
                    permit.RecordSuccess();
                }

                done.Signal();
            }).Start();
        }

        // The clock moves while they run, so slots turn over under the threads' feet; bounded by the calls, not by time.
        while (!done.IsSet)
        {
            _time.Advance(TimeSpan.FromMilliseconds(30));
            System.Threading.Thread.Yield();
        }

        Assert.Equal(CircuitState.Closed, breaker.State);
        Assert.Equal(Threads * CallsPerThread, breaker.GetMetrics().SuccessfulCalls);
        Assert.Equal(0, breaker.GetMetrics().RejectedCalls);
    }

    private CircuitBreaker Create(bool inFlight, Action<CircuitBreakerOptions>? configure = null) =>
        TestBreakers.Create(_time, o =>
        {
            o.SamplingDuration = TimeSpan.FromSeconds(10);
            o.MinimumThroughput = 20;
            o.FailureRatio = 0.5;
            o.SlowCallDuration = TimeSpan.FromSeconds(1);
            o.SlowCallRatio = 0.5;
            o.CountSlowCallsInFlight = inFlight;
            configure?.Invoke(o);
        });

    /// <summary>Calls every 20 ms that answer at once.</summary>
    private void Healthy(CircuitBreaker breaker, TimeSpan length)
    {
        for (TimeSpan t = TimeSpan.Zero; t < length; t += Gap)
        {
            CircuitPermit permit = breaker.TryAcquire();
            Assert.True(permit.IsGranted);
            permit.RecordSuccess();
            _time.Advance(Gap);
        }
    }

    /// <summary>Calls every 20 ms that never answer; returns the admitted ones, still running.</summary>
    private List<CircuitPermit> Hang(CircuitBreaker breaker, TimeSpan length)
    {
        var admitted = new List<CircuitPermit>();
        for (TimeSpan t = TimeSpan.Zero; t < length; t += Gap)
        {
            CircuitPermit permit = breaker.TryAcquire();
            if (permit.IsGranted)
            {
                admitted.Add(permit);
            }

            _time.Advance(Gap);
        }

        return admitted;
    }
}
