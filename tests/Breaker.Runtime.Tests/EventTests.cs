using System;
using System.Collections.Generic;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Runtime.Tests;

public sealed class EventTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Every_transition_raises_StateChanged_with_from_to_and_the_break()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o => o.SuccessThreshold = 1);
        var changes = new List<(CircuitState From, CircuitState To, TimeSpan? Break, bool MetricsOnly)>();
        breaker.StateChanged += (sender, e) =>
        {
            Assert.Same(breaker, sender);
            Assert.Same(breaker, e.Breaker);
            changes.Add((e.From, e.To, e.BreakDuration, e.IsMetricsOnly));
        };

        breaker.Trip();
        _time.Advance(TimeSpan.FromSeconds(30));
        breaker.Fail(1);
        _time.Advance(TimeSpan.FromSeconds(30));
        breaker.Succeed(1);
        breaker.Isolate();
        breaker.Reset();

        Assert.Equal(
            new (CircuitState, CircuitState, TimeSpan?, bool)[]
            {
                (CircuitState.Closed, CircuitState.Open, TimeSpan.FromSeconds(30), false),
                (CircuitState.Open, CircuitState.HalfOpen, null, false),
                (CircuitState.HalfOpen, CircuitState.Open, TimeSpan.FromSeconds(30), false),
                (CircuitState.Open, CircuitState.HalfOpen, null, false),
                (CircuitState.HalfOpen, CircuitState.Closed, null, false),
                (CircuitState.Closed, CircuitState.Isolated, null, false),
                (CircuitState.Isolated, CircuitState.Closed, null, false),
            },
            changes);
    }

    [Fact]
    public void Call_events_describe_each_outcome()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);
        var succeeded = new List<CallSucceededEventArgs>();
        var failed = new List<CallFailedEventArgs>();
        var rejected = new List<CallRejectedEventArgs>();
        breaker.CallSucceeded += (_, e) => succeeded.Add(e);
        breaker.CallFailed += (_, e) => failed.Add(e);
        breaker.CallRejected += (_, e) => rejected.Add(e);
        var error = new TimeoutException();

        CircuitPermit slow = breaker.TryAcquire();
        _time.Advance(TimeSpan.FromSeconds(6));
        slow.RecordSuccess();
        CircuitPermit failing = breaker.TryAcquire();
        _time.Advance(TimeSpan.FromMilliseconds(250));
        failing.RecordFailure(error, FailureKind.Timeout);
        breaker.TryAcquire().RecordIgnored();
        breaker.Isolate();
        breaker.TryAcquire();

        CallSucceededEventArgs success = Assert.Single(succeeded);
        Assert.Equal(TimeSpan.FromSeconds(6), success.Duration);
        Assert.True(success.IsSlow);
        Assert.Same(breaker, success.Breaker);
        CallFailedEventArgs failure = Assert.Single(failed);
        Assert.Equal(FailureKind.Timeout, failure.Kind);
        Assert.Same(error, failure.Exception);
        Assert.Equal(TimeSpan.FromMilliseconds(250), failure.Duration);
        CallRejectedEventArgs rejection = Assert.Single(rejected);
        Assert.Equal(CircuitState.Isolated, rejection.State);
        Assert.Null(rejection.RetryAfter);
        Assert.False(rejection.IsMetricsOnly);
    }

    [Fact]
    public void A_rejection_while_open_says_when_to_retry()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);
        CallRejectedEventArgs? seen = null;
        breaker.CallRejected += (_, e) => seen = e;
        breaker.Trip();
        _time.Advance(TimeSpan.FromSeconds(12));

        breaker.TryAcquire();

        Assert.NotNull(seen);
        Assert.Equal(CircuitState.Open, seen.State);
        Assert.Equal(TimeSpan.FromSeconds(18), seen.RetryAfter);
    }

    [Fact]
    public void A_throwing_handler_is_swallowed_and_the_other_handlers_still_run()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);
        int before = 0, after = 0, stateChanges = 0, rejections = 0;
        breaker.CallFailed += (_, _) => before++;
        breaker.CallFailed += (_, _) => throw new InvalidOperationException("listener bug");
        breaker.CallFailed += (_, _) => after++;
        breaker.CallSucceeded += (_, _) => throw new InvalidOperationException("listener bug");
        breaker.StateChanged += (_, _) => throw new InvalidOperationException("listener bug");
        breaker.StateChanged += (_, _) => stateChanges++;
        breaker.CallRejected += (_, _) => throw new InvalidOperationException("listener bug");
        breaker.CallRejected += (_, _) => rejections++;

        breaker.Succeed(1);
        breaker.Trip();
        Assert.False(breaker.TryAcquire().IsGranted);

        Assert.Equal(3, before);
        Assert.Equal(3, after);
        Assert.Equal(1, stateChanges);
        Assert.Equal(1, rejections);
        Assert.Equal(CircuitState.Open, breaker.State);
    }

    [Fact]
    public void Handlers_run_outside_the_lock_so_they_may_call_back_into_the_breaker()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);
        CircuitState seenInHandler = CircuitState.Closed;
        long rejectedInHandler = -1;
        breaker.StateChanged += (_, e) =>
        {
            seenInHandler = e.Breaker.State;
            rejectedInHandler = e.Breaker.TryAcquire().IsGranted ? 0 : 1;
            e.Breaker.Reconfigure(e.Breaker.Options);
        };

        breaker.Trip();

        Assert.Equal(CircuitState.Open, seenInHandler);
        Assert.Equal(1, rejectedInHandler);
    }

    [Fact]
    public void An_unsubscribed_handler_is_not_called()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);
        int calls = 0;
        EventHandler<CallSucceededEventArgs> handler = (_, _) => calls++;
        breaker.CallSucceeded += handler;
        breaker.Succeed(1);

        breaker.CallSucceeded -= handler;
        breaker.Succeed(1);

        Assert.Equal(1, calls);
    }
}
