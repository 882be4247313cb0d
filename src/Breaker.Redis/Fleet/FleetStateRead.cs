using System;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace Breaker.Fleet;

/// <summary>One read of a breaker's fleet state: the record, its remaining time to live (PTTL), and the probe lease's holder.</summary>
internal readonly record struct FleetStateRead(RedisValue Value, TimeSpan? TimeToLive, RedisValue LeaseHolder)
{
    /// <summary>Reads in one transaction, so that the record and its time to live belong together.</summary>
    public static async Task<FleetStateRead> ReadAsync(IDatabase db, BreakerParticipant p)
    {
        ITransaction transaction = db.CreateTransaction();
        Task<RedisValue> value = transaction.StringGetAsync(p.Keys.State);
        Task<TimeSpan?> ttl = transaction.KeyTimeToLiveAsync(p.Keys.State);
        Task<RedisValue> lease = transaction.StringGetAsync(p.Keys.ProbeLease);
        await transaction.ExecuteAsync().ConfigureAwait(false);
        return new FleetStateRead(await value.ConfigureAwait(false), await ttl.ConfigureAwait(false), await lease.ConfigureAwait(false));
    }
}
