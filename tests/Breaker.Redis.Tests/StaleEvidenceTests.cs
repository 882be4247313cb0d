using System;
using System.Linq;
using System.Threading.Tasks;
using Breaker.Redis.Tests.Infrastructure;

namespace Breaker.Redis.Tests;

/// <summary>Only fresh evidence opens the fleet: what the breakers measured before a break never decides the next one.</summary>
[Collection(RedisCollection.Name)]
public sealed class StaleEvidenceTests(RedisServer redis)
{
    [Fact]
    public async Task With_no_calls_after_a_break_the_fleet_never_reopens_and_returning_traffic_is_served_at_once()
    {
        await using Dependency dependency = await Dependency.StartAsync();
        dependency.Failing = true;
        await using TestFleet fleet = await TestFleet.StartAsync(3, dependency, redis);
        await fleet.RunUntilAllOpenAsync();
        dependency.Failing = false;

        // Three breaks' worth of time with no call at all (the old rule reopened the fleet every break and lease from the
        // counts left in the open breakers' windows): the publish rounds go on, and the break's record expires unprobed.
        for (int tick = 0; tick < 3 * (int)(TestFleet.BreakDuration + TimeSpan.FromSeconds(10)).TotalSeconds; tick++)
        {
            await fleet.TickAsync();
        }

        Assert.All(fleet.Instances, static i =>
        {
            Assert.Equal(1, i.Breaker.GetMetrics().CircuitOpens);
            Assert.Equal((CircuitState.HalfOpen, true), (i.Breaker.State, i.Breaker.GetMetrics().AwaitingProbe));
        });
        Assert.Single(fleet.Log.Lines, static l => l.Contains("Fleet opened", StringComparison.Ordinal));

        // An instance that joins now is not opened by anything the others measured.
        FleetInstance late = await fleet.JoinAsync();
        for (int tick = 0; tick < 5; tick++)
        {
            await fleet.TickAsync();
        }

        Assert.Equal(CircuitState.Closed, late.Breaker.State);

        // Traffic returns: the very first call of each instance reaches the dependency (a probe), none is rejected.
        dependency.ResetCount();
        int rejectedBefore = fleet.Instances.Sum(static i => i.Rejected);
        await fleet.RoundAsync();
        Assert.Equal(fleet.Instances.Count, dependency.Requests);
        Assert.Equal(rejectedBefore, fleet.Instances.Sum(static i => i.Rejected));
    }

    [Fact]
    public async Task After_the_fleet_closes_the_failures_that_opened_it_count_no_more()
    {
        await using Dependency dependency = await Dependency.StartAsync();
        await using TestFleet fleet = await TestFleet.StartAsync(3, dependency, redis);
        await fleet.ProbesUntilAllClosedAsync(dependency);

        // The failures measured before the break would, summed again, cross the threshold at once; a few new failures do not.
        dependency.Failing = true;
        await fleet.RoundAsync();
        await fleet.RoundAsync();

        Assert.All(fleet.Instances, static i => Assert.Equal((CircuitState.Closed, 1L), (i.Breaker.State, i.Breaker.GetMetrics().CircuitOpens)));
    }
}
