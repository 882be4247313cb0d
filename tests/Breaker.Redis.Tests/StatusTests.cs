using System;
using System.Linq;
using System.Threading.Tasks;
using Breaker.Redis.Tests.Infrastructure;

namespace Breaker.Redis.Tests;

/// <summary>What a coordinated breaker's status says (CircuitCoordinator.GetStatus, read by the monitor and the dashboard).</summary>
[Collection(RedisCollection.Name)]
public sealed class StatusTests(RedisServer redis)
{
    [Fact]
    public async Task The_status_shows_the_fleets_verdict_its_instances_windows_and_who_probes_without_asking_Redis()
    {
        await using Dependency dependency = await Dependency.StartAsync();
        await using TestFleet fleet = await TestFleet.StartAsync(3, dependency, redis);
        dependency.FailingFor["instance-2"] = true;
        await fleet.RoundAsync();

        CoordinationStatus closed = Status(fleet.Instances[0]);
        Assert.Equal(("instance-0", true, CircuitState.Closed), (closed.InstanceId, closed.IsCoordinating, closed.SharedState));
        Assert.Null(closed.BreakEnds);
        Assert.Equal(["instance-0", "instance-1", "instance-2"], closed.Instances.Select(static p => p.InstanceId));
        Assert.Equal((1L, 0L, false), (closed.Instances[0].WindowCalls, closed.Instances[0].WindowFailures, closed.Instances[0].ThresholdCrossed));
        Assert.Equal((1L, 1L, true), (closed.Instances[2].WindowCalls, closed.Instances[2].WindowFailures, closed.Instances[2].ThresholdCrossed));

        // The fleet opens: every instance shows the break and when it ends on its own clock.
        dependency.Failing = true;
        await fleet.RunUntilAllOpenAsync();
        Assert.All(fleet.Instances, i =>
        {
            CoordinationStatus open = Status(i);
            Assert.Equal(CircuitState.Open, open.SharedState);
            Assert.InRange(open.BreakEnds!.Value - fleet.Time.GetUtcNow(), TimeSpan.FromSeconds(25), TestFleet.BreakDuration);
        });

        // The break is over and instance 1 probes for all: the others show it as the lease holder, the fleet as half-open.
        dependency.Failing = false;
        await fleet.AdvanceAsync(TestFleet.BreakDuration);
        await fleet.Instances[1].CallAsync();
        await Poll.UntilAsync(() => fleet.Instances[1].Participant.HoldsLease, "instance 1 took the probe lease");
        await fleet.TickAsync();
        CoordinationStatus probing = Status(fleet.Instances[0]);
        Assert.Equal((CircuitState.HalfOpen, "instance-1"), (probing.SharedState, probing.ProbeLeaseHolder));

        // Redis goes: the status says this instance acts on its own, without a single exchange.
        try
        {
            redis.Stop();
            await Poll.UntilAsync(() => fleet.Instances.All(static i => !Status(i).IsCoordinating), "every status said the instance acts on its own");
        }
        finally
        {
            redis.Start();
        }
    }

    private static CoordinationStatus Status(FleetInstance instance) => instance.Breaker.Coordinator!.GetStatus(instance.Breaker)!;
}
