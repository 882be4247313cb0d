using System;
using System.Collections.Generic;
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
    private readonly string _session = RoundMark.NewSession();
    private readonly Dictionary<string, long> _rounds = [];
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

    /// <summary>
    /// Writes a fleet break record: <paramref name="breakDuration"/> still to run, then <paramref name="grace"/>, as if
    /// <paramref name="instanceId"/> wrote it now: with the round mark of its latest counts (anyone who can read the keys can
    /// copy it; only the key holders can sign it).
    /// </summary>
    public async Task<bool> WriteBreakAsync(long epoch, long sequence, TimeSpan breakDuration, TimeSpan grace, string instanceId = "forger")
    {
        var state = new FleetState(FleetStateKind.Open, new FleetVersion(epoch, sequence), breakDuration, grace, TestFleet.PublishInterval, await MarkOfAsync(instanceId), instanceId);
        return await Db.StringSetAsync(StateKey, state.Format(_signer, StateKey), breakDuration + grace);
    }

    /// <summary>Writes a verdict (closed) or epoch record.</summary>
    public async Task<bool> WriteStateAsync(string kind, long epoch, string instanceId = "forger")
    {
        var writer = new FleetWriter(instanceId, TestFleet.PublishInterval, await MarkOfAsync(instanceId));
        FleetState state = kind == "closed" ? FleetState.Verdict(new FleetVersion(epoch, 0), writer) : FleetState.EpochOnly(new FleetVersion(epoch, 0), writer);
        return await Db.StringSetAsync(StateKey, state.Format(_signer, StateKey), TimeSpan.FromMinutes(10));
    }

    /// <summary>
    /// Writes counts for <paramref name="instanceId"/> (an instance of the fleet or an invented one) and adds it to the
    /// instance set. Each write is one round further than the last for that instance, as a live instance's would be.
    /// </summary>
    public async Task WriteCountsAsync(string instanceId, long epoch, long calls, long failures, long slowCalls = 0)
    {
        string key = CountsKey(instanceId);
        long round = _rounds[instanceId] = _rounds.GetValueOrDefault(instanceId) + 1;
        await Db.StringSetAsync(key, new InstanceCounts(epoch, new RoundMark(_session, round), calls, failures, slowCalls, instanceId).Format(_signer, key), TimeSpan.FromMinutes(10));
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

    /// <summary>The round mark in <paramref name="instanceId"/>'s counts as they are in Redis now (the forger's own when there are none).</summary>
    private async Task<RoundMark> MarkOfAsync(string instanceId)
    {
        string? counts = await Db.StringGetAsync(CountsKey(instanceId));
        string[] fields = counts?.Split('|') ?? [];
        return fields.Length > 4 && long.TryParse(fields[4], out long round) && RoundMark.IsValid(fields[3], round)
            ? new RoundMark(fields[3], round)
            : new RoundMark(_session, _rounds[instanceId] = _rounds.GetValueOrDefault(instanceId) + 1);
    }

    public ValueTask DisposeAsync() => _owned?.DisposeAsync() ?? ValueTask.CompletedTask;
}
