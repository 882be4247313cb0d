using System;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using Breaker.Redis.Tests.Infrastructure;

namespace Breaker.Redis.Tests;

/// <summary>
/// A small fuzzer over the wire format, against a real Redis and a healthy fleet: random bytes, truncations, huge and
/// negative numbers, unknown kinds, valid-looking records from unknown instances and replayed old epochs, written to every
/// key and published on the channel. The fleet goes on serving every call, and still opens on a real outage afterwards.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class WireFuzzTests(RedisServer redis)
{
    [Fact]
    public async Task With_a_signing_key_garbage_in_every_key_and_on_the_channel_changes_nothing_users_see()
    {
        await using Dependency dependency = await Dependency.StartAsync();
        await using TestFleet fleet = await TestFleet.StartAsync(3, dependency, redis, static o => { o.MinimumInstances = 1; o.SigningKey = TestFleet.SigningKey; });
        const int rounds = 25;

        await FuzzAsync(fleet, rounds, afterEachRound: static () => { });

        // Every call reached the dependency and succeeded; no breaker opened; every instance still coordinates.
        Assert.Equal(3 * rounds, dependency.Requests);
        Assert.All(fleet.Instances, static i =>
        {
            Assert.Equal((rounds, 0, 0), (i.Succeeded, i.Rejected, i.Failed));
            Assert.Equal(0, i.Breaker.GetMetrics().CircuitOpens);
            Assert.True(i.Coordinator!.IsCoordinating);
        });
        Assert.DoesNotContain(fleet.Log.Lines, static l => l.StartsWith("Error", StringComparison.Ordinal));

        // The garbage left behind does not stop the fleet from doing its job when the dependency really fails (on windows
        // emptied by hand, so that the fleet's sum crosses before each instance's own window does).
        await ExpectTheFleetToOpenSoonerThanEachInstanceAsync(fleet, dependency);
    }

    [Fact]
    public async Task Without_a_signing_key_garbage_that_happens_to_be_a_valid_break_is_held_to_each_receivers_own_break()
    {
        await using Dependency dependency = await Dependency.StartAsync();
        await using TestFleet fleet = await TestFleet.StartAsync(3, dependency, redis, static o => o.MinimumInstances = 1);
        TimeSpan longest = TimeSpan.Zero;

        await FuzzAsync(fleet, 25, () => longest = fleet.Instances.Select(static i => i.RetryAfter).Append(longest).Max());

        // Whatever it wrote, no caller was ever told to wait longer than the breaker's own break, no exchange broke the
        // loop, and the fleet still works.
        Assert.InRange(longest, TimeSpan.Zero, TestFleet.BreakDuration);
        Assert.All(fleet.Instances, static i => Assert.True(i.Coordinator!.IsCoordinating));
        Assert.DoesNotContain(fleet.Log.Lines, static l => l.StartsWith("Error", StringComparison.Ordinal));

        // Once what it wrote has expired (valid-looking garbage may hold a "break" for as long as its key lives), the fleet
        // works as before.
        await fleet.AdvanceAsync(TimeSpan.FromMinutes(10));
        await ExpectTheFleetToOpenSoonerThanEachInstanceAsync(fleet, dependency);
    }

    private static async Task ExpectTheFleetToOpenSoonerThanEachInstanceAsync(TestFleet fleet, Dependency dependency)
    {
        foreach (FleetInstance instance in fleet.Instances)
        {
            instance.Breaker.Reset();
        }

        await fleet.TickAsync();
        dependency.Failing = true;
        int[] failedBefore = fleet.Instances.Select(static i => i.Failed).ToArray();
        await fleet.RunUntilAllOpenAsync();
        Assert.All(fleet.Instances, i => Assert.InRange(i.Failed - failedBefore[int.Parse(i.Name["instance-".Length..], CultureInfo.InvariantCulture)], 1, TestFleet.MinimumThroughput - 1));
    }

    private async Task FuzzAsync(TestFleet fleet, int rounds, Action afterEachRound)
    {
        await using Forger forger = await Forger.ConnectAsync(redis, fleet.Prefix);
        var random = new Random(4321);
        for (int round = 0; round < rounds; round++)
        {
            for (int n = 0; n < 8; n++)
            {
                await forger.PublishAsync(Garbage(random, round));
                await forger.WriteRawAsync(forger.StateKey, Garbage(random, round));
                string member = random.Next(3) == 0 ? $"instance-{random.Next(3)}" : Garbage(random, round);
                await forger.Db.SetAddAsync(forger.InstancesKey, member);
                await forger.WriteRawAsync(forger.CountsKey(member), Garbage(random, round));
                await forger.WriteRawAsync(forger.LeaseKey, Garbage(random, round));
            }

            await fleet.RoundAsync();
            afterEachRound();
        }
    }

    /// <summary>Something that looks more or less like a record or a message, or nothing like one.</summary>
    private static string Garbage(Random random, int round)
    {
        string number = random.Next(6) switch
        {
            0 => "-1",
            1 => "9223372036854775807",
            2 => "99999999999999999999",
            3 => round.ToString(CultureInfo.InvariantCulture),
            4 => random.NextInt64().ToString(CultureInfo.InvariantCulture),
            _ => "0",
        };
        string instance = random.Next(2) == 0 ? "instance-" + random.Next(5).ToString(CultureInfo.InvariantCulture) : "ghost";
        string session = random.Next(3) switch { 0 => "0123456789abcdef", 1 => "ZZZZ", _ => random.NextInt64().ToString("x16", CultureInfo.InvariantCulture) };
        string kind = new[] { "open", "closed", "epoch", "counts", "reopen", "" }[random.Next(6)];
        string[] shapes =
        [
            $"3|{kind}|{number}|{number}|{number}|{number}|{number}|{session}|{number}|{instance}|", // a state record, or nearly
            $"3|counts|{number}|{session}|{number}|{number}|{number}|{number}|{instance}|",          // counts, or nearly
            $"3|{kind}|{number}|{number}|{instance}|{TestFleet.BreakerName}|",                      // an announcement, or nearly
            $"3|open|0|1|{number}|10000|1000|{session}|1|{instance}|"[..random.Next(1, 30)],        // truncated
            $"2|open|0|1|{number}|10000|{instance}|",                                                // the previous format
            $"open|{number}|{instance}|{TestFleet.BreakerName}",                                     // the first format
            $"3|epoch|0|0|0|0|1000|{session}|1|{instance}|{new string('f', 64)}",                   // a bogus tag
            new string(Enumerable.Range(0, random.Next(0, 200)).Select(_ => (char)random.Next(0, 0xD800)).ToArray()),
        ];
        return shapes[random.Next(shapes.Length)];
    }
}
