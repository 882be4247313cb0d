using System;
using System.Threading.Tasks;
using Breaker.Protocol;
using StackExchange.Redis;

namespace Breaker.Redis.Tests.Infrastructure;

/// <summary>
/// A client with write and publish rights on the application's keys and channel that is not one of its instances: it
/// writes well-formed records (signed with <paramref name="signingKey"/>, if it has one) or anything at all.
/// </summary>
public sealed class Forger(IConnectionMultiplexer connection, string prefix, string breakerName = TestFleet.BreakerName, string? signingKey = null) : IAsyncDisposable
{
    private readonly FleetKeys _keys = new(prefix, breakerName, "forger");
    private readonly RecordSigner _signer = new(signingKey, []);
    private IAsyncDisposable? _owned;

    public IDatabase Db => connection.GetDatabase();

    /// <summary>A forger with a connection of its own to <paramref name="redis"/>, closed when it is disposed.</summary>
    public static async Task<Forger> ConnectAsync(RedisServer redis, string prefix, string? signingKey = null)
    {
        ConnectionMultiplexer connection = await TestFleet.ConnectAsync(redis);
        return new Forger(connection, prefix, signingKey: signingKey) { _owned = connection };
    }

    public string StateKey => _keys.State;

    public string LeaseKey => _keys.ProbeLease;

    public string InstancesKey => _keys.Instances;

    public RedisChannel Channel => FleetKeys.Channel(prefix);

    public string CountsKey(string instanceId) => _keys.CountsOf(instanceId);

    /// <summary>Publishes anything on the application's channel.</summary>
    public Task PublishAsync(string message) => connection.GetSubscriber().PublishAsync(Channel, message);

    /// <summary>Publishes a well-formed announcement.</summary>
    public Task AnnounceAsync(string kind, long epoch, long sequence, string instanceId) =>
        PublishAsync(new FleetMessage(FleetState.ParseKind(kind)!.Value, new FleetVersion(epoch, sequence), instanceId, breakerName).Format(_signer, Channel.ToString()));

    /// <summary>Writes a fleet break record: <paramref name="breakDuration"/> still to run, then <paramref name="grace"/>.</summary>
    public Task<bool> WriteBreakAsync(long epoch, long sequence, TimeSpan breakDuration, TimeSpan grace, string instanceId = "forger")
    {
        var state = FleetState.Break(new FleetVersion(epoch, sequence), breakDuration, grace, instanceId);
        return Db.StringSetAsync(StateKey, state.Format(_signer, StateKey), breakDuration + grace);
    }

    /// <summary>Writes a verdict (closed) or epoch record.</summary>
    public Task<bool> WriteStateAsync(string kind, long epoch, string instanceId = "forger") =>
        Db.StringSetAsync(
            StateKey,
            (kind == "closed" ? FleetState.Verdict(new FleetVersion(epoch, 0), instanceId) : FleetState.EpochOnly(new FleetVersion(epoch, 0), instanceId)).Format(_signer, StateKey),
            TimeSpan.FromMinutes(10));

    /// <summary>Writes counts for <paramref name="instanceId"/> (an instance of the fleet or an invented one) and adds it to the instance set.</summary>
    public async Task WriteCountsAsync(string instanceId, long epoch, long calls, long failures, long slowCalls = 0)
    {
        string key = CountsKey(instanceId);
        await Db.StringSetAsync(key, new InstanceCounts(epoch, calls, failures, slowCalls, instanceId).Format(_signer, key), TimeSpan.FromMinutes(10));
        await Db.SetAddAsync(InstancesKey, instanceId);
    }

    /// <summary>Writes anything under a key.</summary>
    public Task<bool> WriteRawAsync(string key, string value) => Db.StringSetAsync(key, value, TimeSpan.FromMinutes(10));

    /// <summary>Takes the probe lease for an hour under <paramref name="holder"/> and keeps the break's record alive as long.</summary>
    public async Task SquatLeaseAsync(string holder)
    {
        await Db.StringSetAsync(LeaseKey, holder, TimeSpan.FromHours(1));
        await Db.KeyExpireAsync(StateKey, TimeSpan.FromHours(1));
    }

    public ValueTask DisposeAsync() => _owned?.DisposeAsync() ?? ValueTask.CompletedTask;
}
