using System;
using System.Threading.Tasks;
using Breaker.Redis.Tests.Infrastructure;

namespace Breaker.Redis.Tests;

/// <summary>
/// Instances whose clocks disagree by two hours either way (wall clock and monotonic timestamps both off). A break
/// crosses the wire as a duration measured by Redis, so it lasts the same on every instance, whoever opened it.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class ClockSkewTests(RedisServer redis)
{
    [Theory]
    [InlineData(2, 0)]
    [InlineData(-2, 0)]
    [InlineData(0, 2)]
    [InlineData(0, -2)]
    [InlineData(2, -2)]
    [InlineData(-2, 2)]
    public async Task A_fleet_break_lasts_the_break_duration_on_every_instance_whatever_their_clocks(int openerHours, int receiverHours)
    {
        await using Dependency dependency = await Dependency.StartAsync();
        dependency.FailingFor["instance-0"] = true;

        // MinimumInstances = 1: instance 0 alone opens the fleet, so the opener and the receiver are known.
        await using TestFleet fleet = await TestFleet.StartAsync(
            2,
            dependency,
            redis,
            static (_, o) => o.MinimumInstances = 1,
            i => TimeSpan.FromHours(i == 0 ? openerHours : receiverHours));
        FleetInstance opener = fleet.Instances[0];
        FleetInstance receiver = fleet.Instances[1];

        await fleet.RunUntilAllOpenAsync();
        Assert.Equal(0, receiver.Failed);

        // The receiver is told to retry within the break, never two hours late nor already; the opener keeps its own.
        Assert.InRange(receiver.RetryAfter, TestFleet.BreakDuration - TimeSpan.FromSeconds(3), TestFleet.BreakDuration);
        Assert.InRange(opener.RetryAfter, TestFleet.BreakDuration - TimeSpan.FromSeconds(3), TestFleet.BreakDuration);

        // Until the break is over not one request reaches the dependency; then the fleet probes once and closes.
        dependency.FailingFor.Clear();
        dependency.ResetCount();
        await fleet.AdvanceAsync(receiver.RetryAfter - TimeSpan.FromSeconds(3));
        await fleet.RoundAsync(); // calls 3 s before the end, then two publish rounds
        Assert.Equal(0, dependency.Requests);
        Assert.Equal(CircuitState.Open, receiver.Breaker.State);
        Assert.InRange(receiver.RetryAfter, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(1));
        long probes = await fleet.ProbesUntilAllClosedAfterTheBreakAsync(dependency);
        Assert.InRange(probes, 1, TestFleet.SuccessThreshold);
        Assert.All(fleet.Instances, static i => Assert.Equal(0, i.Observed!.UsesDuringCalls));
    }
}
