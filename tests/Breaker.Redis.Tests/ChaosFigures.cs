using System;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Breaker.Redis.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Breaker.Redis.Tests;

/// <summary>
/// The attack figures in docs/fleet.md: under each attack, how long the breakers of healthy instances reject calls, read
/// as their Retry-After when the attack took effect (30 s is one break of the breakers' own), on the fake clock against a
/// real Redis.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class ChaosFigures(RedisServer redis, ITestOutputHelper output)
{
    [Fact]
    public async Task How_long_healthy_breakers_stay_open_under_each_attack()
    {
        await using Dependency dependency = await Dependency.StartAsync();
        StringBuilder table = new StringBuilder()
            .AppendLine("| attack | healthy breakers open |")
            .AppendLine("|---|---:|");
        async Task Row(string attack, Func<Task<TimeSpan>> measure)
        {
            dependency.Failing = false;
            dependency.FailingFor.Clear();
            dependency.ResetCount();
            TimeSpan open = await measure();
            table.AppendLine(CultureInfo.InvariantCulture, $"| {attack} | {open.TotalSeconds:0.#} s |");
        }

        await Row("the opener's clock 2 h ahead (receiver's break)", () => SkewAsync(dependency, openerHours: 2));
        await Row("the opener's clock 2 h behind (receiver's break)", () => SkewAsync(dependency, openerHours: -2));
        await Row("`open|253402300799999|…` published", () => ForgedAnnouncementAsync(dependency));
        await Row("a break of a day written, no signing key", () => ForgedBreakAsync(dependency, signed: false));
        await Row("a break of a day written, signing key", () => ForgedBreakAsync(dependency, signed: true));
        await Row("two invented instances' counts written, no signing key", () => InventedInstancesAsync(dependency, signed: false));
        await Row("two invented instances' counts written, signing key", () => InventedInstancesAsync(dependency, signed: true));
        await Row("probe lease squatted after a break (beyond the break)", () => SquattedLeaseAsync(dependency));
        await Row("lone fast opener, `MinimumInstances = 1`: the healthy instance's break one round later", async () => (await Attacks.LoneFastOpenerAsync(redis, dependency, 1, lateJoiner: false)).Healthy);
        await Row("lone fast opener, `MinimumInstances = 1`: an instance joining then", async () => (await Attacks.LoneFastOpenerAsync(redis, dependency, 1, lateJoiner: true)).Joiner);
        await Row("fast opener and a second failing instance, `MinimumInstances = 2`: the healthy instance's break", async () => (await Attacks.LoneFastOpenerAsync(redis, dependency, 2, lateJoiner: false)).Healthy);
        await Row("`PEXPIRE` 1 h on a signed break 20 s into its 30 s: an instance joining then", () => Attacks.StretchedBreakAsync(redis, dependency));
        output.WriteLine(table.ToString());

        (int succeeded, int rejected) = await Attacks.ReplayedBreakToFreshInstanceAsync(redis, dependency);
        output.WriteLine($"signed break of an earlier epoch replayed (PX 1 h) to a fresh instance: {succeeded} calls served, {rejected} rejected of 3 healthy calls");
        dependency.FailingFor.Clear();
        int replayed = await Attacks.ReplayedCountsAsync(redis, dependency);
        output.WriteLine($"signed counts of a past blip replayed to a healthy signed fleet of 2: {replayed} calls rejected of 10 healthy calls");

        // What the forged close leaves of a breaker its own failures opened, and how many breaks stale counts impose.
        TimeSpan kept = await ForgedCloseAsync(dependency);
        int breaks = await BreaksWithoutTrafficAsync(dependency);
        output.WriteLine($"forged close: the breaker its own failures opened still has {kept.TotalSeconds:0.#} s of its 30 s break");
        output.WriteLine($"stale counts: {breaks} fleet break(s) in {3 * 40} s without a call");
        Assert.Equal(TimeSpan.FromSeconds(30), kept);
        Assert.Equal(1, breaks);
    }

    private async Task<TimeSpan> SkewAsync(Dependency dependency, int openerHours)
    {
        dependency.FailingFor["instance-0"] = true;
        await using TestFleet fleet = await TestFleet.StartAsync(2, dependency, redis, static (_, o) => o.MinimumInstances = 1, i => TimeSpan.FromHours(i == 0 ? openerHours : 0));
        await fleet.RunUntilAllOpenAsync();
        return Whole(fleet.Instances[1].RetryAfter + TestFleet.PublishInterval); // applied one publish round ago
    }

    private async Task<TimeSpan> ForgedAnnouncementAsync(Dependency dependency)
    {
        await using TestFleet fleet = await TestFleet.StartAsync(3, dependency, redis);
        await using Forger forger = await Forger.ConnectAsync(redis, fleet.Prefix);
        await forger.PublishAsync("open|253402300799999|instance-0|quotes");
        await fleet.RoundAsync();
        return fleet.Instances.Max(static i => i.RetryAfter);
    }

    private async Task<TimeSpan> ForgedBreakAsync(Dependency dependency, bool signed)
    {
        await using TestFleet fleet = await TestFleet.StartAsync(3, dependency, redis, o => o.SigningKey = signed ? TestFleet.SigningKey : null);
        await using Forger forger = await Forger.ConnectAsync(redis, fleet.Prefix);
        await forger.WriteBreakAsync(0, 1, TimeSpan.FromDays(1), TimeSpan.FromMinutes(20), "instance-0");
        await forger.AnnounceAsync("open", 0, 1, "instance-0");
        await fleet.TickAsync();
        return Whole(fleet.Instances.Max(static i => i.RetryAfter));
    }

    private async Task<TimeSpan> InventedInstancesAsync(Dependency dependency, bool signed)
    {
        await using TestFleet fleet = await TestFleet.StartAsync(2, dependency, redis, o => o.SigningKey = signed ? TestFleet.SigningKey : null);
        await using Forger forger = await Forger.ConnectAsync(redis, fleet.Prefix);
        // Written again before every round, one round further each time, as live instances would; the break as applied.
        TimeSpan applied = TimeSpan.Zero;
        for (int tick = 0; tick < 3 && applied == TimeSpan.Zero; tick++)
        {
            await forger.WriteCountsAsync("ghost-1", 0, 20, 20);
            await forger.WriteCountsAsync("ghost-2", 0, 20, 20);
            await fleet.TickAsync();
            applied = fleet.Instances.Max(static i => i.RetryAfter);
        }

        return Whole(applied);
    }

    private async Task<TimeSpan> SquattedLeaseAsync(Dependency dependency)
    {
        dependency.Failing = true;
        await using TestFleet fleet = await TestFleet.StartAsync(2, dependency, redis, static o => o.SigningKey = TestFleet.SigningKey);
        await using Forger forger = await Forger.ConnectAsync(redis, fleet.Prefix);
        await fleet.RunUntilAllOpenAsync();
        await forger.SquatLeaseAsync("ghost");
        dependency.Failing = false;
        dependency.ResetCount();
        await fleet.AdvanceAsync(TestFleet.BreakDuration);

        // Rounds of 2 s until a request reaches the dependency: how long the squatter kept the fleet waiting.
        TimeSpan waited = TimeSpan.Zero;
        while (dependency.Requests == 0)
        {
            Assert.True(waited < TimeSpan.FromMinutes(5), "the fleet waited for the squatter for good");
            await fleet.RoundAsync();
            waited += 2 * TestFleet.PublishInterval;
        }

        return waited;
    }

    private async Task<TimeSpan> ForgedCloseAsync(Dependency dependency)
    {
        dependency.FailingFor["instance-0"] = true;
        await using TestFleet fleet = await TestFleet.StartAsync(2, dependency, redis);
        await using Forger forger = await Forger.ConnectAsync(redis, fleet.Prefix);
        FleetInstance sick = fleet.Instances[0];
        while (sick.Breaker.State == CircuitState.Closed)
        {
            await sick.CallAsync();
        }

        await forger.PublishAsync("open|1|instance-1|quotes");
        await forger.PublishAsync("closed|1|instance-1|quotes");
        await forger.WriteStateAsync("closed", 1, "instance-1");
        await forger.AnnounceAsync("closed", 1, 0, "instance-1");
        await fleet.TickAsync();

        // The break it is left with, counting the publish interval that passed since it opened.
        return sick.RetryAfter + TestFleet.PublishInterval;
    }

    private async Task<int> BreaksWithoutTrafficAsync(Dependency dependency)
    {
        dependency.Failing = true;
        await using TestFleet fleet = await TestFleet.StartAsync(3, dependency, redis);
        await fleet.RunUntilAllOpenAsync();
        for (int tick = 0; tick < 3 * 40; tick++)
        {
            await fleet.TickAsync();
        }

        return fleet.Log.Lines.Count(static l => l.Contains("Fleet opened", StringComparison.Ordinal));
    }

    /// <summary>A duration read a few milliseconds of real exchange after it was set, to the second.</summary>
    private static TimeSpan Whole(TimeSpan duration) => TimeSpan.FromSeconds(Math.Round(duration.TotalSeconds));
}
