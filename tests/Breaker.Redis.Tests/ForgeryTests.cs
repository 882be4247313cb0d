using System;
using System.Linq;
using System.Threading.Tasks;
using Breaker.Redis.Tests.Infrastructure;
using StackExchange.Redis;

namespace Breaker.Redis.Tests;

/// <summary>
/// A client that may publish on the application's channel and write its keys, but is none of its instances: what it can
/// and cannot make the fleet's breakers do (docs/fleet.md, "Trust model").
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class ForgeryTests(RedisServer redis)
{
    [Fact]
    public async Task Forged_announcements_open_nothing_they_only_make_instances_read_Redis()
    {
        await using Dependency dependency = await Dependency.StartAsync();
        await using TestFleet fleet = await TestFleet.StartAsync(3, dependency, redis);
        await using Forger forger = await Forger.ConnectAsync(redis, fleet.Prefix);
        await fleet.RoundAsync();

        for (int round = 0; round < 5; round++)
        {
            await forger.PublishAsync("open|253402300799999|instance-0|quotes"); // the old format: a break until the year 9999
            await forger.AnnounceAsync("open", 0, 1, "instance-0");              // well-formed, from a real instance's name
            await forger.AnnounceAsync("open", 999_999, 7, "instance-1");
            await forger.AnnounceAsync("closed", 1, 0, "instance-2");
            await forger.PublishAsync("3|open|-1|-1|instance-0|quotes|");
            await fleet.RoundAsync();
        }

        Assert.All(fleet.Instances, static i =>
        {
            Assert.Equal(CircuitState.Closed, i.Breaker.State);
            Assert.Equal((6, 0, 0), (i.Succeeded, i.Rejected, i.Failed));
            Assert.True(i.Coordinator!.IsCoordinating);
        });
        Assert.Equal(18, dependency.Requests);
    }

    [Fact]
    public async Task Without_a_signing_key_a_forged_break_lasts_no_longer_than_each_receivers_own_break()
    {
        await using Dependency dependency = await Dependency.StartAsync();
        await using TestFleet fleet = await TestFleet.StartAsync(3, dependency, redis);
        await using Forger forger = await Forger.ConnectAsync(redis, fleet.Prefix);
        await fleet.RoundAsync();

        // A break past every bound is refused outright; the longest one a record may carry (a day) is clamped to 30 s.
        await forger.Db.StringSetAsync(forger.StateKey, "3|open|0|1|253402300799999|10000|1000|0123456789abcdef|1|instance-0|", TimeSpan.FromHours(1));
        await fleet.RoundAsync();
        Assert.All(fleet.Instances, static i => Assert.Equal(CircuitState.Closed, i.Breaker.State));

        await forger.WriteBreakAsync(0, 1, TimeSpan.FromDays(1), TimeSpan.FromMinutes(20), "instance-0");
        await forger.AnnounceAsync("open", 0, 1, "instance-0");
        await fleet.TickAsync();
        Assert.All(fleet.Instances, static i => Assert.InRange(i.RetryAfter, TestFleet.BreakDuration - TimeSpan.FromSeconds(1), TestFleet.BreakDuration));

        // Once their own break is over, the instances probe for the fleet (one lease) and close it.
        dependency.ResetCount();
        await fleet.AdvanceAsync(TestFleet.BreakDuration);
        long probes = await fleet.ProbesUntilAllClosedAfterTheBreakAsync(dependency);
        Assert.InRange(probes, 1, TestFleet.SuccessThreshold);
    }

    [Fact]
    public async Task With_a_signing_key_forged_records_and_announcements_are_ignored_and_logged_once_per_source()
    {
        await using Dependency dependency = await Dependency.StartAsync();
        await using TestFleet fleet = await TestFleet.StartAsync(3, dependency, redis, static o => { o.SigningKey = TestFleet.SigningKey; o.MinimumInstances = 1; });
        await using Forger forger = await Forger.ConnectAsync(redis, fleet.Prefix, signingKey: "a-guess-at-the-key-that-is-wrong-0123456789");

        for (int round = 0; round < 5; round++)
        {
            await forger.WriteBreakAsync(0, 1, TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(10), "instance-0");
            await forger.WriteCountsAsync("ghost-1", 0, 20, 20);
            await forger.AnnounceAsync("open", 0, 1, "instance-0");
            await fleet.RoundAsync();
        }

        Assert.All(fleet.Instances, static i =>
        {
            Assert.Equal(CircuitState.Closed, i.Breaker.State);
            Assert.Equal(0, i.Rejected);
        });
        string[] lines = fleet.Log.Lines.Where(static l => l.Contains("Ignored", StringComparison.Ordinal)).ToArray();
        Assert.All(lines, static l => Assert.Contains("no valid signature", l, StringComparison.Ordinal));

        // One line per source (and kind of record) in each instance's log, however many rounds brought them again.
        Assert.Equal(3, lines.Count(static l => l.StartsWith("Warning: Ignored state record", StringComparison.Ordinal)));
        Assert.Equal(3, lines.Count(static l => l.Contains("counts from ghost-1", StringComparison.Ordinal)));
        Assert.Equal(3, lines.Count(static l => l.Contains("announcement from the channel", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_forged_close_never_closes_a_breaker_that_opened_on_its_own_failures()
    {
        await using Dependency dependency = await Dependency.StartAsync();
        dependency.FailingFor["instance-0"] = true;
        await using TestFleet fleet = await TestFleet.StartAsync(2, dependency, redis);
        await using Forger forger = await Forger.ConnectAsync(redis, fleet.Prefix);
        FleetInstance sick = fleet.Instances[0];
        while (sick.Breaker.State == CircuitState.Closed)
        {
            await fleet.RoundAsync(i => i == sick);
        }

        // "open|1" then "closed" used to close it; now a close, even one for the very next epoch, is no verdict on a break
        // this instance never followed.
        await forger.WriteStateAsync("closed", 1, "instance-1");
        await forger.AnnounceAsync("closed", 1, 0, "instance-1");
        await fleet.RoundAsync(i => i == sick);

        Assert.Equal(CircuitState.Open, sick.Breaker.State);
        Assert.InRange(sick.RetryAfter, TestFleet.BreakDuration - TimeSpan.FromSeconds(5), TestFleet.BreakDuration);
        Assert.Equal(TestFleet.MinimumThroughput, sick.Failed);
    }

    [Fact]
    public async Task A_forged_close_of_another_epoch_or_without_the_key_leaves_a_fleet_break_running()
    {
        await using Dependency dependency = await Dependency.StartAsync();
        dependency.Failing = true;
        await using TestFleet fleet = await TestFleet.StartAsync(3, dependency, redis, static o => o.SigningKey = TestFleet.SigningKey);
        await using Forger forger = await Forger.ConnectAsync(redis, fleet.Prefix);
        await using Forger keyHolder = await Forger.ConnectAsync(redis, fleet.Prefix, TestFleet.SigningKey);
        await fleet.RunUntilAllOpenAsync();
        FleetInstance[] signed = [.. fleet.Instances];
        Assert.All(signed, static i => Assert.True(i.Participant.FollowsBreak));

        await forger.WriteStateAsync("closed", 1, "instance-1");
        await forger.AnnounceAsync("closed", 1, 0, "instance-1");
        await fleet.TickAsync();
        Assert.All(signed, static i =>
        {
            Assert.Equal(CircuitState.Open, i.Breaker.State);
            Assert.True(i.Participant.FollowsBreak);
        });

        // A validly signed close for a later epoch than the next one (a key holder's mistake, or a replay across a lost
        // Redis) closes nothing either: the instances leave the fleet's break but keep their breakers open until its end.
        await keyHolder.WriteStateAsync("closed", 5, "instance-1");
        await fleet.TickAsync();
        Assert.All(signed, static i =>
        {
            Assert.Equal(CircuitState.Open, i.Breaker.State);
            Assert.False(i.Participant.FollowsBreak);
            Assert.InRange(i.RetryAfter, TestFleet.BreakDuration - TimeSpan.FromSeconds(6), TestFleet.BreakDuration);
        });
    }

    [Fact]
    public async Task A_replayed_record_of_an_earlier_break_reopens_nothing_and_the_epoch_is_written_back()
    {
        await using Dependency dependency = await Dependency.StartAsync();
        await using TestFleet fleet = await TestFleet.StartAsync(3, dependency, redis, static o => o.SigningKey = TestFleet.SigningKey);
        await using Forger forger = await Forger.ConnectAsync(redis, fleet.Prefix);

        // A first break, recorded by someone who can read the keys; then the fleet probes and closes (epoch 1).
        dependency.Failing = true;
        await fleet.RunUntilAllOpenAsync();
        RedisValue recorded = await forger.Db.StringGetAsync(forger.StateKey);
        dependency.Failing = false;
        await fleet.AdvanceAsync(TestFleet.BreakDuration);
        await fleet.ProbesUntilAllClosedAfterTheBreakAsync(dependency);

        // The old break, validly signed, written back: older than what every instance applied.
        await forger.Db.StringSetAsync(forger.StateKey, recorded, TimeSpan.FromMinutes(10));
        int served = fleet.Instances.Sum(static i => i.Succeeded);
        for (int round = 0; round < 3; round++)
        {
            await fleet.RoundAsync();
        }

        Assert.All(fleet.Instances, static i => Assert.Equal(CircuitState.Closed, i.Breaker.State));
        Assert.Equal(served + 9, fleet.Instances.Sum(static i => i.Succeeded));
        Assert.StartsWith("3|epoch|1|0|", (string?)await forger.Db.StringGetAsync(forger.StateKey), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_signing_key_invented_instances_cannot_make_up_the_minimum_instances()
    {
        await using Dependency dependency = await Dependency.StartAsync();
        dependency.FailingFor["instance-0"] = true;
        await using TestFleet fleet = await TestFleet.StartAsync(2, dependency, redis, static o => o.SigningKey = TestFleet.SigningKey);
        await using Forger forger = await Forger.ConnectAsync(redis, fleet.Prefix);
        FleetInstance healthy = fleet.Instances[1];

        for (int round = 0; round < 2 * TestFleet.MinimumThroughput; round++)
        {
            await forger.WriteCountsAsync("ghost-1", 0, 20, 20);
            await forger.WriteCountsAsync("ghost-2", 0, 20, 20);
            await fleet.RoundAsync();
        }

        Assert.Equal(CircuitState.Closed, healthy.Breaker.State);
        Assert.Equal((2 * TestFleet.MinimumThroughput, 0), (healthy.Succeeded, healthy.Rejected));
    }

    [Fact]
    public async Task Without_a_signing_key_invented_instances_open_the_fleet_but_no_longer_than_each_receivers_break()
    {
        await using Dependency dependency = await Dependency.StartAsync();
        await using TestFleet fleet = await TestFleet.StartAsync(2, dependency, redis);
        await using Forger forger = await Forger.ConnectAsync(redis, fleet.Prefix);

        // Written again before every round, one round further each time, as live instances would.
        for (int tick = 0; tick < 3; tick++)
        {
            await forger.WriteCountsAsync("ghost-1", 0, 20, 20);
            await forger.WriteCountsAsync("ghost-2", 0, 20, 20);
            await fleet.TickAsync();
        }

        // This is what the signing key is for: the healthy fleet opens on invented evidence, for one break of its own length.
        Assert.All(fleet.Instances, static i => Assert.InRange(i.RetryAfter, TestFleet.BreakDuration - TimeSpan.FromSeconds(2), TestFleet.BreakDuration));
    }

    [Fact]
    public async Task Counts_that_are_negative_huge_or_inconsistent_are_ignored()
    {
        await using Dependency dependency = await Dependency.StartAsync();
        await using TestFleet fleet = await TestFleet.StartAsync(2, dependency, redis, static o => o.MinimumInstances = 1);
        await using Forger forger = await Forger.ConnectAsync(redis, fleet.Prefix);

        for (int round = 0; round < 3; round++)
        {
            await forger.WriteCountsAsync("ghost-negative", 0, -5, -5);
            await forger.WriteCountsAsync("ghost-huge", 0, 1_000_000_000_000_000_000, 1_000_000_000_000_000_000);
            await forger.WriteCountsAsync("ghost-more-failures-than-calls", 0, 10, 20);
            await forger.WriteCountsAsync("ghost-more-slow-than-calls", 0, 10, 0, 20);
            await forger.WriteRawAsync(forger.CountsKey("ghost-overflow"), "3|counts|0|0123456789abcdef|1|99999999999999999999|99999999999999999999|0|ghost-overflow|");
            await forger.Db.SetAddAsync(forger.InstancesKey, "ghost-overflow");
            await fleet.RoundAsync();
        }

        // With MinimumInstances = 1 any one of them, believed, would have opened the fleet.
        Assert.All(fleet.Instances, static i => Assert.Equal((CircuitState.Closed, 0), (i.Breaker.State, i.Rejected)));
        Assert.Equal(2 * 5, fleet.Log.Lines.Count(static l => l.Contains("Ignored counts from ghost-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task An_instance_squatting_the_probe_lease_holds_the_fleet_for_one_verdict_wait_then_each_instance_probes()
    {
        await using Dependency dependency = await Dependency.StartAsync();
        dependency.Failing = true;
        await using TestFleet fleet = await TestFleet.StartAsync(2, dependency, redis, static o => o.SigningKey = TestFleet.SigningKey);
        await using Forger forger = await Forger.ConnectAsync(redis, fleet.Prefix);
        await fleet.RunUntilAllOpenAsync();

        // The lease is taken by something no instance is, and the break's record kept alive: the fleet waits for a verdict.
        await forger.SquatLeaseAsync("not | an instance");
        dependency.Failing = false;
        dependency.ResetCount();
        await fleet.AdvanceAsync(TestFleet.BreakDuration);

        // Waiting costs one verdict wait (the breakers' break plus two leases), then each instance probes on its own.
        TimeSpan wait = TestFleet.BreakDuration + (2 * TimeSpan.FromSeconds(5));
        for (TimeSpan waited = TimeSpan.Zero; waited < wait - TimeSpan.FromSeconds(2); waited += TimeSpan.FromSeconds(2))
        {
            await fleet.RoundAsync();
        }

        Assert.Equal(0, dependency.Requests);
        Assert.All(fleet.Instances, static i => Assert.Equal(CircuitState.HalfOpen, i.Breaker.State));
        long probes = await fleet.ProbesUntilAllClosedAfterTheBreakAsync(dependency);
        Assert.Equal(2 * TestFleet.SuccessThreshold, probes);
        Assert.Contains(fleet.Log.Lines, static l => l.Contains("no verdict from the instance probing for the fleet", StringComparison.Ordinal));
    }
}
