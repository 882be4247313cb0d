using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Runtime.Tests;

/// <summary>
/// A published count never goes back and never exceeds the calls made (issue 26, finding 5). Successes are derived (calls the
/// windows recorded minus the failures among them), so each test races a writer against a reader of
/// <see cref="CircuitBreaker.GetMetrics"/> at the one moment a derived read can fall short. Bounded by a number of calls.
/// </summary>
public sealed class PublishedCountTests
{
    private const int Rounds = 200_000;
    private static readonly TimeSpan Ceiling = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Successes_read_while_calls_fail_buckets_expire_and_the_window_empties_never_go_back()
    {
        // Three ways a derived read fell short of one before it: a failure is counted before its window records it (a read
        // between the two saw one call fewer); an expired bucket's calls leave it for the evicted total; closing a circuit
        // (here by hand) empties every bucket the same way.
        var time = new FakeTimeProvider();
        CircuitBreaker breaker = TestBreakers.Create(time, static o =>
        {
            o.SamplingDuration = TimeSpan.FromSeconds(1);
            o.FailureRatio = 1.0; // two calls in three fail: the circuit stays closed
        });

        (int backSteps, long overshoot, long made) = await Race(breaker, (round, succeeded) =>
        {
            breaker.Succeed();
            Interlocked.Increment(ref succeeded[0]);
            breaker.TryAcquire().RecordFailure(new InvalidOperationException("boom"));
            breaker.TryAcquire().RecordFailure(new InvalidOperationException("boom"));
            if (round % 8 == 0)
            {
                breaker.Reset();
            }
            else if (round % 8 == 4)
            {
                time.Advance(TimeSpan.FromMilliseconds(100));
            }
        });

        Assert.Equal(0, backSteps);
        Assert.True(overshoot <= 0, $"read {overshoot} successes more than were made");
        Assert.Equal(made, breaker.GetMetrics().SuccessfulCalls);
    }

    /// <summary>
    /// Runs <paramref name="round"/> <see cref="Rounds"/> times on one thread (it counts its successes in the array's only
    /// element) while another reads the breaker's successes; returns how often a read went back, the most a read exceeded
    /// the successes made, and the successes made.
    /// </summary>
    private static async Task<(int BackSteps, long Overshoot, long Made)> Race(CircuitBreaker breaker, Action<int, long[]> round)
    {
        long[] succeeded = new long[1];
        var writer = Task.Run(() =>
        {
            for (int i = 0; i < Rounds; i++)
            {
                round(i, succeeded);
            }
        });
        Task<(int, long)> reader = Task.Run(() =>
        {
            int backSteps = 0;
            long overshoot = long.MinValue;
            long last = 0;
            while (!writer.IsCompleted)
            {
                long read = breaker.GetMetrics().SuccessfulCalls;
                long made = Volatile.Read(ref succeeded[0]) + 1; // at most the one success being recorded
                backSteps += read < last ? 1 : 0;
                overshoot = Math.Max(overshoot, read - made);
                last = read;
            }

            return (backSteps, overshoot);
        });

        await writer.WaitAsync(Ceiling);
        (int steps, long over) = await reader.WaitAsync(Ceiling);
        return (steps, over, Volatile.Read(ref succeeded[0]));
    }
}
