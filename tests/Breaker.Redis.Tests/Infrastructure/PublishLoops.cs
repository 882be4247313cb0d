using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Redis.Tests.Infrastructure;

/// <summary>
/// Steps coordinators whose publish loops run on a fake clock. Only the first round runs by itself; every later one waits
/// for the clock, so a test that waits for something a round does must move the clock, or it waits for ever.
/// </summary>
public static class PublishLoops
{
    /// <summary>
    /// Moves the clock by <paramref name="step"/> and waits until every loop has finished the round that fired. A loop logs
    /// a change of reachability just after it counts the round: wait for such a line rather than expect it on return.
    /// </summary>
    public static async Task TickAsync(FakeTimeProvider time, TimeSpan step, IReadOnlyList<RedisFleetCoordinator> coordinators)
    {
        long[] before = coordinators.Select(static c => c.Ticks).ToArray();
        time.Advance(step);
        await Poll.UntilAsync(() => coordinators.Select((c, n) => c.Ticks > before[n]).All(static done => done), "every loop finished a publish round");
    }

    /// <summary>
    /// Waits until freshly started coordinators all coordinate. The first round may miss Redis (the connection is still
    /// being made, or on a busy machine the exchange outlives its real-time operation timeout); then the loop is stepped
    /// one publish interval at a time until a round reaches Redis, as the next rounds would on a real clock. On return
    /// every loop is idle, waiting for the clock.
    /// </summary>
    public static async Task UntilCoordinatingAsync(FakeTimeProvider time, TimeSpan interval, IReadOnlyList<RedisFleetCoordinator> coordinators)
    {
        await Poll.UntilAsync(() => coordinators.All(static c => c.Ticks > 0), "every loop finished its first publish round");
        await Poll.UntilAsync(
            async () =>
            {
                if (coordinators.All(static c => c.IsCoordinating))
                {
                    return true;
                }

                await TickAsync(time, interval, coordinators);
                return coordinators.All(static c => c.IsCoordinating);
            },
            "every instance reached Redis");
    }
}
