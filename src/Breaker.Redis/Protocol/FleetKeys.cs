using StackExchange.Redis;

namespace Breaker.Protocol;

/// <summary>
/// The Redis keys of one breaker under the application's prefix and the wire format's version. The breaker's name is a
/// hash tag, so on a Redis Cluster all of a breaker's keys live in one slot and can be read and changed together.
/// </summary>
internal sealed class FleetKeys
{
    public FleetKeys(string prefix, string breakerName, string instanceId)
    {
        string root = $"{prefix}:v{FleetLimits.WireVersion}:breaker:{{{breakerName}}}";
        State = root + ":state";
        ProbeLease = root + ":probe";
        Instances = root + ":instances";
        CountsPrefix = root + ":counts:";
        OwnCounts = CountsOf(instanceId);
    }

    /// <summary>The fleet's <see cref="FleetState"/> record: a break (with an expiry), a close's verdict, or the epoch.</summary>
    public string State { get; }

    /// <summary>A string naming the instance allowed to probe, with an expiry.</summary>
    public string ProbeLease { get; }

    /// <summary>A set of the instances that published counts recently.</summary>
    public string Instances { get; }

    /// <summary>This instance's counts, with an expiry.</summary>
    public string OwnCounts { get; }

    private string CountsPrefix { get; }

    /// <summary>The application's channel for announcements, under the same version.</summary>
    public static RedisChannel Channel(string prefix) => RedisChannel.Literal($"{prefix}:v{FleetLimits.WireVersion}:breaker-events");

    /// <summary>The key of an instance's counts.</summary>
    public string CountsOf(string instanceId) => CountsPrefix + instanceId;
}
