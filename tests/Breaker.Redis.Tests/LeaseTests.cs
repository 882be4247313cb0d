using System;
using System.Linq;
using System.Threading.Tasks;
using Breaker.Redis.Tests.Infrastructure;

namespace Breaker.Redis.Tests;

[Collection(RedisCollection.Name)]
public sealed class LeaseTests(RedisServer redis)
{
    [Fact]
    public async Task When_the_instance_holding_the_probe_lease_dies_another_one_probes_after_the_lease_expires()
    {
        await using Dependency dependency = await Dependency.StartAsync();
        dependency.Failing = true;
        // A short lease, for the test waits for it to expire. Redis expires it in real time, and the holder renews it once a
        // round: shorter, and a busy machine's pause between two rounds could let another instance take it from a live holder.
        await using TestFleet fleet = await TestFleet.StartAsync(3, dependency, redis, static o => o.ProbeLeaseDuration = TimeSpan.FromSeconds(3));
        await fleet.RunUntilAllOpenAsync();

        // The break ends: every instance asks for the lease on its next call, and one gets it.
        dependency.Failing = false;
        dependency.ResetCount();
        await fleet.AdvanceAsync(TestFleet.BreakDuration);
        await fleet.RoundAsync();
        FleetInstance? holder = null;
        await Poll.UntilAsync(() => (holder = fleet.Instances.SingleOrDefault(static i => i.Participant.HoldsLease)) is not null, "an instance took the probe lease");
        Assert.Equal(0, dependency.Requests);

        // It dies before probing: its connection goes, its lease stays in Redis until it expires.
        holder!.Connection!.Dispose();
        FleetInstance[] survivors = fleet.Instances.Where(i => i != holder).ToArray();
        await Poll.UntilAsync(
            async () =>
            {
                await fleet.RoundAsync(i => i != holder && i.Breaker.State != CircuitState.Closed);
                return survivors.All(static i => i.Breaker.State == CircuitState.Closed);
            },
            "a survivor probed and the fleet closed");

        Assert.InRange(dependency.Requests, 1, TestFleet.SuccessThreshold);
        Assert.All(survivors, static i => Assert.True(i.Coordinator!.IsCoordinating, $"{i.Name} fell back to local probing"));
    }

    [Fact]
    public async Task An_instance_without_traffic_never_takes_the_probe_from_those_that_have_some()
    {
        await using Dependency dependency = await Dependency.StartAsync();
        dependency.Failing = true;
        await using TestFleet fleet = await TestFleet.StartAsync(3, dependency, redis);
        await fleet.RunUntilAllOpenAsync();

        // After the break only instances 1 and 2 receive calls; instance 0's publish rounds go on reading its breaker.
        dependency.Failing = false;
        dependency.ResetCount();
        await fleet.AdvanceAsync(TestFleet.BreakDuration);
        FleetInstance idle = fleet.Instances[0];
        await Poll.UntilAsync(
            async () =>
            {
                await fleet.RoundAsync(i => i != idle && i.Breaker.State != CircuitState.Closed);
                return fleet.Instances.All(static i => i.Breaker.State == CircuitState.Closed);
            },
            "the instances with traffic probed and the fleet closed, the idle one too");

        Assert.InRange(dependency.Requests, 1, TestFleet.SuccessThreshold);
        Assert.Equal(0, idle.Breaker.GetMetrics().HalfOpenAttempts);
    }

    [Fact]
    public async Task Reading_the_breakers_and_publishing_their_counts_across_the_end_of_a_break_asks_for_no_lease()
    {
        await using Dependency dependency = await Dependency.StartAsync();
        dependency.Failing = true;
        await using TestFleet fleet = await TestFleet.StartAsync(2, dependency, redis);
        await fleet.RunUntilAllOpenAsync();
        var changes = new System.Collections.Concurrent.ConcurrentQueue<CircuitState>();
        foreach (FleetInstance instance in fleet.Instances)
        {
            instance.Breaker.StateChanged += (_, e) => changes.Enqueue(e.To);
        }

        // The break ends with no call: publish rounds read every breaker, and so does this test, again and again.
        await fleet.AdvanceAsync(TestFleet.BreakDuration);
        for (int tick = 0; tick < 5; tick++)
        {
            await fleet.TickAsync();
            foreach (FleetInstance instance in fleet.Instances)
            {
                Assert.Equal(CircuitState.HalfOpen, instance.Breaker.State);
                CircuitBreakerMetrics metrics = instance.Breaker.GetMetrics();
                Assert.True(metrics.AwaitingProbe);
                Assert.Equal(0, metrics.HalfOpenAttempts);
                _ = instance.Registry.GetSummary();
            }
        }

        Assert.Empty(changes);
        Assert.All(fleet.Instances, static i => Assert.False(i.Participant.WantsLease || i.Participant.HoldsLease, $"{i.Name} asked for the lease"));

        // A call is what asks for it.
        await fleet.Instances[0].CallAsync();
        await Poll.UntilAsync(() => fleet.Instances[0].Participant.HoldsLease, "the instance that was called took the probe lease");
        Assert.False(fleet.Instances[1].Participant.WantsLease || fleet.Instances[1].Participant.HoldsLease);
    }
}
