using System;
using System.Linq;
using System.Threading.Tasks;
using Breaker.Redis.Tests.Infrastructure;

namespace Breaker.Redis.Tests;

/// <summary>
/// Redis killed, frozen (SIGSTOP) and restarted empty in the middle of a fleet break: the breakers stay open for the break
/// they were given, then each probes on its own; no call ever waits on Redis.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class RedisFaultTests(RedisServer redis)
{
    [Fact]
    public async Task Redis_killed_mid_break_leaves_every_breaker_open_until_the_break_ends_then_each_probes_on_its_own()
    {
        await using Dependency dependency = await Dependency.StartAsync();
        await using TestFleet fleet = await OpenFleetAsync(dependency);
        try
        {
            redis.Stop();
            await Poll.UntilAsync(() => fleet.Instances.All(static i => !i.Coordinator!.IsCoordinating), "every instance noticed Redis was gone");
            await AssertTheBreakRunsItsCourseThenEachInstanceProbesAsync(fleet, dependency);
        }
        finally
        {
            redis.Start();
        }
    }

    [Fact]
    public async Task Redis_frozen_mid_break_costs_no_call_a_wait_and_the_breakers_finish_the_break_on_their_own()
    {
        await using Dependency dependency = await Dependency.StartAsync();
        await using TestFleet fleet = await OpenFleetAsync(dependency);
        try
        {
            // A frozen Redis answers nothing and drops nothing: each exchange runs into OperationTimeout (1 s, real time),
            // and after MissedPublishesBeforeLocal rounds the instances act on their own.
            redis.Pause();
            await Poll.UntilAsync(
                async () =>
                {
                    await fleet.TickAsync();
                    return fleet.Instances.All(static i => !i.Coordinator!.IsCoordinating);
                },
                "every instance gave up on the frozen Redis");
            await AssertTheBreakRunsItsCourseThenEachInstanceProbesAsync(fleet, dependency);
        }
        finally
        {
            redis.Resume();
        }

        await fleet.WaitUntilEveryInstanceCoordinatesAsync();
    }

    [Fact]
    public async Task Redis_restarted_empty_mid_break_the_break_is_finished_locally_and_nothing_reopens_from_what_it_lost()
    {
        await using Dependency dependency = await Dependency.StartAsync();
        await using TestFleet fleet = await OpenFleetAsync(dependency);
        TimeSpan[] given = fleet.Instances.Select(static i => i.RetryAfter).ToArray();

        redis.Stop();
        redis.Start();
        await fleet.WaitUntilEveryInstanceCoordinatesAsync();

        // A restored connection may report coordination before any round ran: one round reads the empty Redis.
        await fleet.TickAsync();

        // Coordinating again, on an empty Redis: the break record is gone, so each instance finishes its break on its own.
        Assert.All(fleet.Instances, static i =>
        {
            Assert.Equal(CircuitState.Open, i.Breaker.State);
            Assert.False(i.Participant.FollowsBreak);
        });
        TimeSpan elapsed = given.Min() - fleet.Instances.Max(static i => i.RetryAfter);
        dependency.ResetCount();
        await fleet.AdvanceAsync(given.Max() - elapsed - TimeSpan.FromSeconds(1));
        await fleet.RoundAsync();
        Assert.Equal(0, dependency.Requests);

        // The break is over: every instance probes for itself, closes, and its old failures open nothing.
        long probes = await fleet.ProbesUntilAllClosedAfterTheBreakAsync(dependency);
        Assert.Equal(fleet.Instances.Count * TestFleet.SuccessThreshold, probes);
        for (int round = 0; round < 5; round++)
        {
            await fleet.RoundAsync();
        }

        Assert.All(fleet.Instances, static i => Assert.Equal((CircuitState.Closed, 1L), (i.Breaker.State, i.Breaker.GetMetrics().CircuitOpens)));
        Assert.All(fleet.Instances, static i => Assert.Equal(0, i.Observed!.UsesDuringCalls));
    }

    /// <summary>Three instances whose breakers the fleet opened on a failing dependency, which then recovers.</summary>
    private async Task<TestFleet> OpenFleetAsync(Dependency dependency)
    {
        dependency.Failing = true;
        TestFleet fleet = await TestFleet.StartAsync(3, dependency, redis);
        await fleet.RunUntilAllOpenAsync();
        Assert.All(fleet.Instances, static i => Assert.True(i.Participant.FollowsBreak));
        dependency.Failing = false;
        return fleet;
    }

    private static async Task AssertTheBreakRunsItsCourseThenEachInstanceProbesAsync(TestFleet fleet, Dependency dependency)
    {
        // Until the end of the break they were given, the breakers reject every call, and none waits on Redis. Each took the
        // one break the fleet shared (an instance that opened at the same moment too); the ends differ only by what Redis's
        // clock counted between the write and each read.
        dependency.ResetCount();
        TimeSpan first = fleet.Instances.Min(static i => i.RetryAfter);
        TimeSpan last = fleet.Instances.Max(static i => i.RetryAfter);
        Assert.InRange(first, TimeSpan.FromSeconds(1), TestFleet.BreakDuration);
        Assert.InRange(last - first, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        fleet.Time.Advance(first - TimeSpan.FromMilliseconds(1));
        foreach (FleetInstance instance in fleet.Instances)
        {
            await instance.CallAsync();
        }

        Assert.Equal(0, dependency.Requests);

        // Then each probes on its own, as a local breaker would, and closes.
        fleet.Time.Advance(last - first + TimeSpan.FromMilliseconds(1));
        for (int round = 0; round < TestFleet.SuccessThreshold; round++)
        {
            foreach (FleetInstance instance in fleet.Instances)
            {
                await instance.CallAsync();
            }
        }

        Assert.Equal(fleet.Instances.Count * TestFleet.SuccessThreshold, dependency.Requests);
        Assert.All(fleet.Instances, static i =>
        {
            Assert.Equal(CircuitState.Closed, i.Breaker.State);
            Assert.Equal(0, i.Observed!.UsesDuringCalls);
        });
    }
}
