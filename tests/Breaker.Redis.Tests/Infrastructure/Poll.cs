using System;
using System.Diagnostics;
using System.Threading.Tasks;

namespace Breaker.Redis.Tests.Infrastructure;

/// <summary>
/// Waits for a condition by looking at it every 20 ms up to a generous deadline; it asserts outcomes, never durations. The
/// deadline only bounds a hang: what a test waits for takes well under a second, even on a busy machine.
/// </summary>
public static class Poll
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static Task UntilAsync(Func<bool> condition, string what) => UntilAsync(() => Task.FromResult(condition()), what);

    public static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > Deadline)
            {
                Assert.Fail($"Gave up after {Deadline.TotalSeconds:0} s waiting until {what}.");
            }

            await Task.Delay(20);
        }
    }
}
