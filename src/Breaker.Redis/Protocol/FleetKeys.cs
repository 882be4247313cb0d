using StackExchange.Redis;

namespace Breaker.Protocol;

/// <summary>
/// The Redis keys of one breaker under the application's prefix. The breaker's name is a hash tag, so on a Redis Cluster
/// all of a breaker's keys live in one slot and can be read together.
/// </summary>
internal sealed class FleetKeys
{
    public FleetKeys(string prefix, string breakerName, string instanceId)
    {
        string root = $"{prefix}:breaker:{{{breakerName}}}";
        Open = root + ":open";
        Epoch = root + ":epoch";
        ProbeLease = root + ":probe";
        Instances = root + ":instances";
        CountsPrefix = root + ":counts:";
        OwnCounts = CountsOf(instanceId);
    }

    /// <summary>A string holding the fleet break's end (Unix milliseconds); present while the fleet's circuit is open or probing.</summary>
    public RedisKey Open { get; }

    /// <summary>A counter raised each time the fleet's circuit closes, so counts published before the close are left out.</summary>
    public RedisKey Epoch { get; }

    /// <summary>A string naming the instance allowed to probe, with an expiry.</summary>
    public RedisKey ProbeLease { get; }

    /// <summary>A set of the instances that published counts recently.</summary>
    public RedisKey Instances { get; }

    /// <summary>This instance's counts, with an expiry.</summary>
    public RedisKey OwnCounts { get; }

    private string CountsPrefix { get; }

    /// <summary>The key of an instance's counts.</summary>
    public RedisKey CountsOf(string instanceId) => CountsPrefix + instanceId;
}
