using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Runtime.Tests;

/// <summary>
/// The break-duration hook under threads: a slow hook holds up no call, and many threads crossing a threshold together
/// open the circuit once, asking the hook once. Waits are ceilings that only bound a hang; nothing here is timed.
/// </summary>
public sealed class BreakDurationConcurrencyTests
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

    [Fact]
    public void Threads_crossing_the_threshold_together_open_the_circuit_once_and_ask_the_hook_once_per_opening()
    {
        int threadCount = Math.Max(4, Environment.ProcessorCount * 2);
        var contexts = new ConcurrentQueue<BreakContext>();
        CircuitBreaker breaker = TestBreakers.Create(_time, o =>
        {
            o.ConsecutiveFailureThreshold = 2;
            o.SuccessThreshold = threadCount;
            o.BreakDurationMultiplier = 2;
            o.BreakJitterRatio = 0.1;
            o.BreakDurationHook = c =>
            {
                contexts.Enqueue(c);
                Thread.Yield();
                return null;
            };
        });

        for (int round = 0; round < 20; round++)
        {
            // Every thread holds a permit of the same period (closed, then half-open), then all fail at once.
            var permits = new CircuitPermit[threadCount];
            for (int i = 0; i < threadCount; i++)
            {
                permits[i] = breaker.TryAcquire();
                Assert.True(permits[i].IsGranted, $"round {round}, permit {i}: {breaker.State}");
            }

            using var start = new Barrier(threadCount);
            Parallel.For(0, threadCount, new ParallelOptions { MaxDegreeOfParallelism = threadCount }, i =>
            {
                start.SignalAndWait(Ceiling);
                permits[i].RecordFailure(new InvalidOperationException("down"));
            });

            Assert.Equal(CircuitState.Open, breaker.State);
            Assert.Equal(round + 1, breaker.GetMetrics().CircuitOpens);
            Assert.Equal(round + 1, contexts.Count);
            _time.Advance(breaker.GetMetrics().RetryAfter!.Value);
        }

        // The opening from closed, then one reopening per round, each knowing how many came before it.
        Assert.Equal(Enumerable.Range(1, 20), contexts.Select(static c => c.ConsecutiveOpens));
    }
}
