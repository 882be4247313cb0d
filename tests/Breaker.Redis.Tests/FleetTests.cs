using System;
using System.Linq;
using System.Threading.Tasks;
using Breaker.Redis.Tests.Infrastructure;

namespace Breaker.Redis.Tests;

/// <summary>Several instances against a real redis-server and a real (loopback) dependency that counts what reaches it.</summary>
[Collection(RedisCollection.Name)]
public sealed class FleetTests(RedisServer redis)
{
    [Fact]
    public async Task The_fleet_opens_sooner_than_local_breakers_so_fewer_failed_requests_reach_the_dependency()
    {
        await using Dependency dependency = await Dependency.StartAsync();
        dependency.Failing = true;

        long local;
        await using (TestFleet fleet = await TestFleet.StartAsync(4, dependency, redis: null))
        {
            await fleet.RunUntilAllOpenAsync();
            local = dependency.Requests;
        }

        dependency.ResetCount();
        await using (TestFleet fleet = await TestFleet.StartAsync(4, dependency, redis))
        {
            await fleet.RunUntilAllOpenAsync();
            Assert.All(fleet.Instances, static i => Assert.Equal(CircuitState.Open, i.Breaker.State));
        }

        long coordinated = dependency.Requests;
        Assert.Equal(4 * TestFleet.MinimumThroughput, local);
        Assert.True(coordinated < local, $"coordinated {coordinated} requests, local-only {local}");
        Assert.True(coordinated >= TestFleet.MinimumThroughput, $"the fleet opened after only {coordinated} calls");
    }

    [Fact]
    public async Task An_instance_failing_alone_opens_only_its_own_breaker()
    {
        await using Dependency dependency = await Dependency.StartAsync();
        dependency.FailingFor["instance-0"] = true;
        await using TestFleet fleet = await TestFleet.StartAsync(4, dependency, redis);
        FleetInstance sick = fleet.Instances[0];

        for (int round = 0; round < TestFleet.MinimumThroughput + 3; round++)
        {
            await fleet.RoundAsync();
        }

        Assert.Equal(CircuitState.Open, sick.Breaker.State);
        Assert.Equal(TestFleet.MinimumThroughput, sick.Failed);
        Assert.All(fleet.Instances.Skip(1), static i =>
        {
            Assert.Equal(CircuitState.Closed, i.Breaker.State);
            Assert.Equal(0, i.Rejected);
            Assert.Equal(TestFleet.MinimumThroughput + 3, i.Succeeded);
        });
        Assert.All(fleet.Instances, static i => Assert.True(i.Coordinator!.IsCoordinating, $"{i.Name} was not coordinating"));
    }

    [Fact]
    public async Task The_fleet_sends_at_most_SuccessThreshold_probes_per_break_not_one_set_per_instance()
    {
        await using Dependency dependency = await Dependency.StartAsync();

        long local;
        await using (TestFleet fleet = await TestFleet.StartAsync(4, dependency, redis: null))
        {
            local = await fleet.ProbesUntilAllClosedAsync(dependency);
        }

        long coordinated;
        await using (TestFleet fleet = await TestFleet.StartAsync(4, dependency, redis))
        {
            coordinated = await fleet.ProbesUntilAllClosedAsync(dependency);
        }

        Assert.Equal(4 * TestFleet.SuccessThreshold, local);
        Assert.InRange(coordinated, 1, TestFleet.SuccessThreshold);
    }

    [Fact]
    public async Task With_Redis_stopped_every_call_works_locally_and_coordination_resumes_when_it_returns()
    {
        await using Dependency dependency = await Dependency.StartAsync();
        dependency.Failing = true;
        await using TestFleet fleet = await TestFleet.StartAsync(4, dependency, redis);
        await fleet.RunUntilAllOpenAsync();

        try
        {
            redis.Stop();
            await Poll.UntilAsync(
                async () =>
                {
                    await fleet.TickAsync();
                    return fleet.Instances.All(static i => !i.Coordinator!.IsCoordinating)
                        && fleet.Log.Lines.Any(static line => line.Contains("Redis is out of reach", StringComparison.Ordinal));
                },
                "every instance noticed Redis was gone, and said so");

            // The fleet's break ends while Redis is away: nobody holds a probe lease, so each breaker probes for itself.
            dependency.Failing = false;
            await fleet.AdvanceAsync(TestFleet.BreakDuration);
            for (int round = 0; round < 2 * TestFleet.SuccessThreshold; round++)
            {
                await fleet.RoundAsync();
            }

            Assert.All(fleet.Instances, static i =>
            {
                Assert.Equal(CircuitState.Closed, i.Breaker.State);
                Assert.Equal(0, i.Rejected);
                Assert.Equal(2 * TestFleet.SuccessThreshold, i.Succeeded);

                // No call waited on Redis, checked by structure rather than by the wall clock (a duration bound either
                // flakes on a loaded machine or is too loose to tell a Redis timeout from a slow call): every piece of
                // Redis work starts by asking the connection for a database or a subscriber, and none was asked for
                // from within a call. The calls and rounds above ran while Redis was dead.
                Assert.Equal(0, i.Observed!.UsesDuringCalls);
            });

            // Local breakers still open on their own while Redis is away: each window holds its own 3 successes, so each
            // breaker opens at its own 7th failure (7 of 10 calls), whatever the others see.
            dependency.Failing = true;
            int[] failedBefore = fleet.Instances.Select(static i => i.Failed).ToArray();
            await fleet.RunUntilAllOpenAsync();
            for (int n = 0; n < fleet.Instances.Count; n++)
            {
                Assert.Equal(TestFleet.MinimumThroughput - TestFleet.SuccessThreshold, fleet.Instances[n].Failed - failedBefore[n]);
            }

            // ...and close on their own probes.
            dependency.Failing = false;
            await fleet.AdvanceAsync(TestFleet.BreakDuration);
            for (int round = 0; round < TestFleet.SuccessThreshold; round++)
            {
                await fleet.RoundAsync();
            }

            Assert.All(fleet.Instances, static i => Assert.Equal(CircuitState.Closed, i.Breaker.State));
        }
        finally
        {
            redis.Start();
        }

        await Poll.UntilAsync(
            async () =>
            {
                await fleet.TickAsync();
                return fleet.Instances.All(static i => i.Coordinator!.IsCoordinating)
                    && fleet.Log.Lines.Any(static line => line.Contains("Redis is back", StringComparison.Ordinal));
            },
            "every instance reached Redis again, and said so");

        // Coordinated again: the fleet opens on the fleet's counts, before each instance reaches its own threshold.
        dependency.Failing = true;
        dependency.ResetCount();
        await fleet.RunUntilAllOpenAsync();
        Assert.True(dependency.Requests < 4 * TestFleet.MinimumThroughput, $"{dependency.Requests} requests reached the dependency after Redis returned");
    }
}
