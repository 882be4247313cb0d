using System;
using System.Linq;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace Breaker.Redis.Tests.Infrastructure;

/// <summary>
/// The attacks of issue 27, each run against a real Redis and measured as a user sees it (how long a breaker rejects
/// calls, or how many calls it rejected). The tests assert on them and <c>ChaosFigures</c> prints them for docs/fleet.md.
/// None depends on the wire format: the attacker only replays what it read, or runs plain Redis commands.
/// </summary>
public static class Attacks
{
    /// <summary>
    /// A lone fast opener: instance 0 fails <see cref="TestFleet.MinimumThroughput"/> calls between two publish rounds and
    /// opens its own breaker before any round carried them (with <paramref name="minimumInstances"/> 2, instance 1 fails a
    /// few calls too, not enough to open its own). Returns how long the last, healthy instance is told to wait one round
    /// later, and, with <paramref name="lateJoiner"/>, how long an instance that joins then is.
    /// </summary>
    public static async Task<(TimeSpan Healthy, TimeSpan Joiner)> LoneFastOpenerAsync(RedisServer redis, Dependency dependency, int minimumInstances, bool lateJoiner)
    {
        dependency.FailingFor["instance-0"] = true;
        if (minimumInstances > 1)
        {
            dependency.FailingFor["instance-1"] = true;
        }

        int count = minimumInstances + 1;
        await using TestFleet fleet = await TestFleet.StartAsync(count, dependency, redis, (_, o) => o.MinimumInstances = minimumInstances, clockOffset: null);
        FleetInstance opener = fleet.Instances[0];

        // A round in which the instances see each other, then the calls, all between two rounds.
        await fleet.TickAsync();
        for (int call = 0; call < TestFleet.MinimumThroughput; call++)
        {
            await opener.CallAsync();
        }

        if (minimumInstances > 1)
        {
            for (int call = 0; call < TestFleet.MinimumThroughput / 2; call++)
            {
                await fleet.Instances[1].CallAsync();
            }
        }

        Assert.Equal(CircuitState.Open, opener.Breaker.State);

        // One publish round carries the opening; the next lets an announcement missed meanwhile be caught up with.
        await fleet.TickAsync();
        await fleet.TickAsync();
        TimeSpan healthy = fleet.Instances[count - 1].RetryAfter;
        TimeSpan joiner = TimeSpan.Zero;
        if (lateJoiner)
        {
            FleetInstance late = await fleet.JoinAsync();
            await fleet.TickAsync();
            joiner = late.RetryAfter;
        }

        return (healthy, joiner);
    }

    /// <summary>
    /// An attacker without the key runs <c>PEXPIRE key 3600000</c> on an honest signed break's record 20 s into its 30 s;
    /// an instance joins then. Returns how long the joiner is told to wait.
    /// </summary>
    public static async Task<TimeSpan> StretchedBreakAsync(RedisServer redis, Dependency dependency)
    {
        dependency.Failing = true;
        await using TestFleet fleet = await TestFleet.StartAsync(2, dependency, redis, static o => o.SigningKey = TestFleet.SigningKey);
        await using Forger forger = await Forger.ConnectAsync(redis, fleet.Prefix);
        await fleet.RunUntilAllOpenAsync();
        dependency.Failing = false;
        for (int tick = 0; tick < 20; tick++)
        {
            await fleet.TickAsync();
        }

        Assert.True(await forger.Db.KeyExpireAsync(forger.StateKey, TimeSpan.FromHours(1)));
        FleetInstance late = await fleet.JoinAsync();
        await fleet.TickAsync();
        return late.RetryAfter;
    }

    /// <summary>
    /// A signed fleet opens, probes and closes; the attacker saved the break's record and writes it back with <c>PX 1h</c>;
    /// a fresh instance joins and makes a healthy call each round for three rounds. Returns what its calls got.
    /// </summary>
    public static async Task<(int Succeeded, int Rejected)> ReplayedBreakToFreshInstanceAsync(RedisServer redis, Dependency dependency)
    {
        dependency.Failing = true;
        await using TestFleet fleet = await TestFleet.StartAsync(2, dependency, redis, static o => o.SigningKey = TestFleet.SigningKey);
        await using Forger forger = await Forger.ConnectAsync(redis, fleet.Prefix);
        await fleet.RunUntilAllOpenAsync();
        RedisValue saved = await forger.Db.StringGetAsync(forger.StateKey);
        dependency.Failing = false;
        await fleet.AdvanceAsync(TestFleet.BreakDuration);
        await fleet.ProbesUntilAllClosedAfterTheBreakAsync(dependency);

        Assert.True(await forger.Db.StringSetAsync(forger.StateKey, saved, TimeSpan.FromHours(1)));
        FleetInstance fresh = await fleet.JoinAsync();
        for (int round = 0; round < 3; round++)
        {
            await fleet.RoundAsync(i => i == fresh);
        }

        return (fresh.Succeeded, fresh.Rejected);
    }

    /// <summary>
    /// Two instances of a signed fleet each had a local blip (half a window failing, at different times, so the fleet never
    /// opened) and then stopped; the attacker saved the counts they published then. Later it writes them back (and
    /// <c>SADD</c>s their ids) before every round of a healthy signed fleet under the same prefix. Returns the calls the
    /// healthy instances rejected over five rounds.
    /// </summary>
    public static async Task<int> ReplayedCountsAsync(RedisServer redis, Dependency dependency)
    {
        string prefix = "test-" + Guid.NewGuid().ToString("N")[..12];
        await using Forger forger = await Forger.ConnectAsync(redis, prefix);
        (string Id, RedisValue Counts)[] saved = new (string, RedisValue)[2];
        for (int i = 0; i < saved.Length; i++)
        {
            // Each blip instance runs alone for a while: half a window failing, which opens neither its own breaker (too few
            // calls) nor the fleet (one instance); what it published is saved, and then it stops.
            string id = "blip-" + i;
            await using TestFleet blip = await TestFleet.StartAsync(
                1, dependency, redis, (_, o) => { o.SigningKey = TestFleet.SigningKey; o.InstanceId = id; }, clockOffset: null, prefix);
            FleetInstance sick = blip.Instances[0];
            dependency.FailingFor[sick.Name] = true;
            for (int call = 0; call < TestFleet.MinimumThroughput / 2; call++)
            {
                await sick.CallAsync();
            }

            await blip.TickAsync();
            Assert.Equal((0, CircuitState.Closed), (sick.Rejected, sick.Breaker.State));
            saved[i] = (id, await forger.Db.StringGetAsync(forger.CountsKey(id)));
        }

        dependency.FailingFor.Clear();
        await using TestFleet fleet = await TestFleet.StartAsync(2, dependency, redis, static (_, o) => o.SigningKey = TestFleet.SigningKey, clockOffset: null, prefix);
        for (int round = 0; round < 5; round++)
        {
            foreach ((string id, RedisValue counts) in saved)
            {
                await forger.Db.StringSetAsync(forger.CountsKey(id), counts, TimeSpan.FromMinutes(10));
                await forger.Db.SetAddAsync(forger.InstancesKey, id);
            }

            await fleet.RoundAsync();
        }

        return fleet.Instances.Sum(static i => i.Rejected);
    }
}
