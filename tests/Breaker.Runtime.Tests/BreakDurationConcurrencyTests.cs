using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Runtime.Tests;

/// <summary>
/// The break-duration hook under threads: many threads crossing a threshold together open the circuit once, asking the
/// hook once (a slow hook holding up no call is in <see cref="SlowHookTests"/>). Waits are ceilings that only bound a
/// hang; nothing here is timed.
/// </summary>
public sealed class BreakDurationConcurrencyTests
{
    private static readonly TimeSpan Ceiling = TimeSpan.FromSeconds(60);

    private readonly FakeTimeProvider _time = new();

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
