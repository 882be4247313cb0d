using System;
using System.Linq;
using System.Threading.Tasks;
using Breaker.Redis.Tests.Infrastructure;

namespace Breaker.Redis.Tests;

[Collection(RedisCollection.Name)]
public sealed class StartupTests(RedisServer redis)
{
    [Fact]
    public async Task An_instance_whose_first_exchange_misses_Redis_acts_locally_and_joins_the_fleet_at_the_next_round()
    {
        await using Dependency dependency = await Dependency.StartAsync();
        await using TestFleet fleet = await TestFleet.CreateAsync(1, dependency, redis);
        RedisFleetCoordinator coordinator = fleet.Instances[0].Coordinator!;

        // The first round misses Redis, as it does when the connection is still being made or the exchange times out.
        fleet.Instances[0].Observed!.FailNextUse(static () => { });
        coordinator.Start();
        await Poll.UntilAsync(() => coordinator.Ticks > 0, "the first publish round ended");

        Assert.False(coordinator.IsCoordinating);
        Assert.True(fleet.Instances[0].Breaker.Coordinator!.MayStartProbing(fleet.Instances[0].Breaker), "the breaker should act on its own");
        await LoggedAsync(fleet, "Warning: Redis is out of reach");

        // The next round, one publish interval later, reaches Redis: the instance joins the fleet, and says so.
        await fleet.TickAsync();

        Assert.True(coordinator.IsCoordinating);
        await LoggedAsync(fleet, "Information: Redis is back");
        Assert.Single(fleet.Log.Lines, static line => line.StartsWith("Information: Redis is back", StringComparison.Ordinal));
    }

    /// <summary>The loop logs a change of reachability just after it counts the round, so a test waits for the line.</summary>
    private static Task LoggedAsync(TestFleet fleet, string start) =>
        Poll.UntilAsync(() => fleet.Log.Lines.Any(line => line.StartsWith(start, StringComparison.Ordinal)), $"the instance logged \"{start}\"");
}
