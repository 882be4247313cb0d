using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Runtime.Tests;

/// <summary>A published count never goes back and never exceeds the calls made (issue 26, finding 5).</summary>
public sealed class PublishedCountTests
{
    private const int Calls = 200_000;
    private static readonly TimeSpan Ceiling = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Successes_read_while_a_time_window_slides_never_go_back()
    {
        var time = new FakeTimeProvider();
        CircuitBreaker breaker = TestBreakers.Create(time, static o => o.SamplingDuration = TimeSpan.FromSeconds(1));
        long made = 0;
        var writer = Task.Run(() =>
        {
            for (int i = 0; i < Calls; i++)
            {
                // Every call lands in a new bucket, so every call empties one: the moment a read may miss calls.
                time.Advance(TimeSpan.FromMilliseconds(100));
                breaker.Succeed();
                Interlocked.Increment(ref made);
            }
        });
        Task<(int BackSteps, long Largest, long Over)> reader = Task.Run(() =>
        {
            int backSteps = 0;
            long over = 0;
            long last = 0;
            while (!writer.IsCompleted)
            {
                long read = breaker.GetMetrics().SuccessfulCalls;
                long after = Volatile.Read(ref made) + 1; // at most the one call being recorded
                backSteps += read < last ? 1 : 0;
                over = Math.Max(over, read - after);
                last = Math.Max(last, read);
            }

            return (backSteps, last, over);
        });

        await writer.WaitAsync(Ceiling);
        (int backSteps, _, long overshoot) = await reader.WaitAsync(Ceiling);

        Assert.Equal(0, backSteps);
        Assert.True(overshoot <= 0, $"read {overshoot} more than the calls made");
        Assert.Equal(Calls, breaker.GetMetrics().SuccessfulCalls);
    }
}
