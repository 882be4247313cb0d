using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Breaker.Redis.Tests.Infrastructure;
using StackExchange.Redis;

namespace Breaker.Redis.Tests;

/// <summary>The Redis ACL that docs/fleet.md suggests is enough for the fleet, and keeps it out of other applications' keys.</summary>
[Collection(RedisCollection.Name)]
public sealed class AclTests(RedisServer redis)
{
    private static readonly string[] FleetCommands =
    [
        "get", "set", "setex", "psetex", "mget", "del", "expire", "pexpire", "pttl", "sadd", "srem", "srandmember", "publish",
        "subscribe", "unsubscribe", "multi", "exec", "eval", "evalsha", "script|load", "ping", "info",
    ];

    [Fact]
    public async Task A_fleet_limited_to_its_prefix_and_channel_by_the_documented_ACL_opens_probes_and_closes()
    {
        string prefix = "acl" + Guid.NewGuid().ToString("N")[..8];
        string user = prefix + "-user";
        const string password = "a-password-for-the-test";
        await using ConnectionMultiplexer admin = await TestFleet.ConnectAsync(redis);
        await admin.GetDatabase().ExecuteAsync("ACL", ["SETUSER", user, .. Acl(prefix, password).Split(' ')]);

        await using Dependency dependency = await Dependency.StartAsync();
        await using (TestFleet fleet = await TestFleet.StartAsync(3, dependency, redis, configure: null, clockOffset: null, prefix, (user, password)))
        {
            long probes = await fleet.ProbesUntilAllClosedAsync(dependency);

            Assert.InRange(probes, 1, TestFleet.SuccessThreshold);
            Assert.All(fleet.Instances, static i => Assert.True(i.Coordinator!.IsCoordinating));
        }

        // Redis refused the user nothing the fleet needs (StackExchange.Redis's own checks outside it may be refused).
        IEnumerable<Dictionary<string, string>> refusals = ((RedisResult[])(await admin.GetDatabase().ExecuteAsync("ACL", "LOG", "128"))!)
            .Select(static entry => ((RedisResult[])entry!).Chunk(2).ToDictionary(static pair => pair[0].ToString(), static pair => pair[1].ToString()))
            .Where(entry => entry["username"] == user);
        Assert.All(refusals, entry =>
        {
            Assert.False(entry["object"].StartsWith(prefix, StringComparison.Ordinal), $"refused {entry["reason"]} {entry["object"]}");
            Assert.False(entry["reason"] == "command" && FleetCommands.Contains(entry["object"]), $"refused the command {entry["object"]}");
        });

        // The same user may not touch another application's keys or channel.
        await using ConnectionMultiplexer limited = await TestFleet.ConnectAsync(redis, user, password);
        await Assert.ThrowsAsync<RedisServerException>(() => limited.GetDatabase().StringSetAsync("other-app:key", "x"));
        await Assert.ThrowsAsync<RedisServerException>(() => limited.GetDatabase().PublishAsync(RedisChannel.Literal("other-app:v3:breaker-events"), "x"));
    }

    /// <summary>The rules of docs/fleet.md's example, for <paramref name="prefix"/>.</summary>
    private static string Acl(string prefix, string password) =>
        $"on >{password} resetkeys ~{prefix}:v3:* resetchannels &{prefix}:v3:breaker-events "
        + "-@all +@connection +info +get +set +setex +psetex +mget +del +expire +pexpire +pttl +sadd +srem +srandmember +publish "
        + "+subscribe +unsubscribe +multi +exec +eval +evalsha +script|load";
}
