using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace Breaker.Runtime.Tests;

/// <summary>
/// Half-open admission when another thread gets in between: a call that read the half-open state before the circuit
/// changed, and calls that meet a reconfiguration holding the breaker's lock. Each interleaving is forced with
/// <see cref="PausingClock"/>, so every run takes the same path.
/// </summary>
public sealed class HalfOpenInterleavingTests
{
    private static readonly TimeSpan Ceiling = PausingClock.Ceiling;

    [Fact]
    public async Task A_call_that_read_the_half_open_state_before_the_circuit_closed_is_a_closed_call()
    {
        using var clock = new PausingClock();
        CircuitBreaker breaker = TestBreakers.Create(clock, o => { o.SuccessThreshold = 2; o.ConsecutiveFailureThreshold = 1; });
        breaker.Trip();
        clock.Advance(TimeSpan.FromSeconds(30));
        CircuitPermit probe = breaker.TryAcquire();
        Assert.True(probe.IsGranted);

        // This call reads the half-open state, then stops at the clock, a probe slot still free.
        Task<CircuitPermit> late = Task.Run(() =>
        {
            clock.PauseNextReadOnThisThread();
            return breaker.TryAcquire();
        });
        clock.WaitUntilPaused();
        breaker.Reset();
        clock.Resume();

        // It looks again and finds the circuit closed: its failure is a closed call's, and opens the circuit.
        CircuitPermit permit = await late.WaitAsync(Ceiling);
        Assert.True(permit.IsGranted);
        permit.RecordFailure(new InvalidOperationException("down"));
        Assert.Equal(CircuitState.Open, breaker.State);
        Assert.Equal(CircuitTransitionReason.ConsecutiveFailures, breaker.GetRecentEvents().First(e => e.Kind == CircuitBreakerEventKind.StateChanged).Reason);
        probe.RecordIgnored();
    }

    [Fact]
    public async Task A_rejection_while_every_probe_slot_is_taken_does_not_wait_for_a_reconfiguration()
    {
        using var clock = new PausingClock();
        (CircuitBreaker breaker, CircuitPermit probe, Task reconfiguring) = HalfOpenWithAReconfigurationHeld(clock, 1, Options(successThreshold: 1, failureRatio: 0.6));
        try
        {
            CircuitPermit rejected = await Task.Run(() => breaker.TryAcquire()).WaitAsync(Ceiling);
            Assert.False(rejected.IsGranted);
            Assert.Equal(CircuitState.HalfOpen, breaker.State);
        }
        finally
        {
            clock.Resume();
        }

        await reconfiguring.WaitAsync(Ceiling);
        probe.RecordSuccess();
        Assert.Equal(CircuitState.Closed, breaker.State);
    }

    [Fact]
    public async Task A_call_that_waited_for_the_lock_while_its_probe_slot_went_away_is_rejected_without_reopening()
    {
        using var clock = new PausingClock();

        // A reconfiguration lowering SuccessThreshold to 1 (taking the free slot away) stops with the lock held...
        (CircuitBreaker breaker, CircuitPermit probe, Task reconfiguring) = HalfOpenWithAReconfigurationHeld(clock, 2, Options(successThreshold: 1, failureRatio: 0.5));

        // ...while a call that saw the free slot waits for that lock.
        CircuitPermit late = default;
        var caller = new Thread(() => late = breaker.TryAcquire());
        caller.Start();
        try
        {
            Assert.True(SpinWait.SpinUntil(() => (caller.ThreadState & ThreadState.WaitSleepJoin) != 0, Ceiling));
        }
        finally
        {
            clock.Resume();
        }

        await reconfiguring.WaitAsync(Ceiling);
        Assert.True(caller.Join(Ceiling));

        // No slot is left, and the probe running started just now: rejected, and the circuit stays half-open.
        Assert.False(late.IsGranted);
        Assert.Equal(CircuitState.HalfOpen, breaker.State);
        probe.RecordSuccess();
        Assert.Equal(CircuitState.Closed, breaker.State);
    }

    /// <summary>
    /// A half-open breaker with one probe running, and a reconfiguration to <paramref name="options"/> stopped at the clock with
    /// the breaker's lock held (until <see cref="PausingClock.Resume"/>).
    /// </summary>
    private static (CircuitBreaker Breaker, CircuitPermit Probe, Task Reconfiguring) HalfOpenWithAReconfigurationHeld(
        PausingClock clock, int successThreshold, CircuitBreakerOptions options)
    {
        CircuitBreaker breaker = TestBreakers.Create(clock, o => o.SuccessThreshold = successThreshold);
        breaker.Trip();
        clock.Advance(TimeSpan.FromSeconds(30));
        CircuitPermit probe = breaker.TryAcquire();
        Assert.True(probe.IsGranted);
        Task reconfiguring = Task.Run(() =>
        {
            clock.PauseNextReadOnThisThread();
            breaker.Reconfigure(options);
        });
        clock.WaitUntilPaused();
        return (breaker, probe, reconfiguring);
    }

    private static CircuitBreakerOptions Options(int successThreshold, double failureRatio) => new()
    {
        MinimumThroughput = 4,
        SlidingWindowSize = 10,
        FailureRatio = failureRatio,
        BreakDuration = TimeSpan.FromSeconds(30),
        SuccessThreshold = successThreshold,
        SlowCallDuration = TimeSpan.FromSeconds(5),
        SlowCallRatio = 1.0,
    };
}
