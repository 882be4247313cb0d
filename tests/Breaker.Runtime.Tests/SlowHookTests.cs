using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Runtime.Tests;

/// <summary>
/// A slow break-duration hook holds up no other call of the period it closes: the hook waits for the test, so each
/// interleaving is forced and every run takes the same path. Waits are ceilings that only bound a hang; nothing is timed.
/// </summary>
public sealed class SlowHookTests
{
    private static readonly TimeSpan Ceiling = TimeSpan.FromSeconds(60);

    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task A_slow_hook_holds_up_no_other_call_of_the_closing_period()
    {
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        int asked = 0;
        CircuitBreaker breaker = TestBreakers.Create(_time, o =>
        {
            o.ConsecutiveFailureThreshold = 1;
            o.BreakDurationHook = _ =>
            {
                Interlocked.Increment(ref asked);
                entered.Set();
                Assert.True(release.Wait(Ceiling));
                return TimeSpan.FromSeconds(9);
            };
        });
        CircuitPermit first = breaker.TryAcquire();
        CircuitPermit second = breaker.TryAcquire();

        var opening = Task.Run(() => first.RecordFailure(new InvalidOperationException("first")));
        Assert.True(entered.Wait(Ceiling));

        // The hook is still running (it waits for release): these return without waiting for the lock it holds.
        second.RecordFailure(new InvalidOperationException("second"));
        CircuitPermit third = breaker.TryAcquire();
        Assert.True(third.IsGranted);
        third.RecordSuccess();
        Assert.Equal(CircuitState.Closed, breaker.State);
        Assert.False(opening.IsCompleted);

        release.Set();
        await opening.WaitAsync(Ceiling);
        Assert.Equal(1, asked);
        Assert.Equal(CircuitState.Open, breaker.State);
        Assert.Equal(TimeSpan.FromSeconds(9), breaker.GetMetrics().RetryAfter);
        Assert.Equal(1, breaker.GetMetrics().CircuitOpens);
        Assert.Equal(2, breaker.GetMetrics().FailedCalls);
    }

    [Fact]
    public async Task A_slow_hook_reopening_the_circuit_holds_up_no_other_probe()
    {
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        CircuitBreaker breaker = TestBreakers.Create(_time, o =>
        {
            o.SuccessThreshold = 3;
            o.BreakDurationHook = c =>
            {
                if (c.From != CircuitState.HalfOpen)
                {
                    return null;
                }

                entered.Set();
                Assert.True(release.Wait(Ceiling));
                return TimeSpan.FromSeconds(40);
            };
        });
        breaker.Trip();
        _time.Advance(TimeSpan.FromSeconds(30));
        CircuitPermit failing = breaker.TryAcquire();
        CircuitPermit succeeding = breaker.TryAcquire();
        CircuitPermit cancelled = breaker.TryAcquire();
        Assert.True(failing.IsGranted && succeeding.IsGranted && cancelled.IsGranted);

        var reopening = Task.Run(() => failing.RecordFailure(new InvalidOperationException("still down")));
        Assert.True(entered.Wait(Ceiling));

        succeeding.RecordSuccess();
        cancelled.RecordIgnored();
        Assert.False(breaker.TryAcquire().IsGranted);
        Assert.False(reopening.IsCompleted);

        release.Set();
        await reopening.WaitAsync(Ceiling);
        Assert.Equal(CircuitState.Open, breaker.State);
        Assert.Equal(TimeSpan.FromSeconds(40), breaker.GetMetrics().RetryAfter);
    }
}
