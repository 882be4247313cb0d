using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Breaker.Logging;
using Breaker.Protocol;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Breaker.Fleet;

/// <summary>
/// One publish round: publish this instance's counts, read and apply the fleet's state of each breaker (in case an
/// announcement was missed), sum the live instances' counts, open breakers the fleet agrees on, and keep or take probe
/// leases.
/// </summary>
internal sealed class PublishRound
{
    private readonly RedisExchange _exchange;
    private readonly Reachability _reachability;
    private readonly FleetStateSync _sync;
    private readonly ProbeLeaseKeeper _lease;
    private readonly RecordSigner _signer;
    private readonly UntrustedSources _untrusted;
    private readonly RedisCoordinationOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public PublishRound(
        RedisExchange exchange,
        Reachability reachability,
        FleetStateSync sync,
        ProbeLeaseKeeper lease,
        RecordSigner signer,
        UntrustedSources untrusted,
        RedisCoordinationOptions options,
        TimeProvider time,
        ILogger logger)
    {
        _exchange = exchange;
        _reachability = reachability;
        _sync = sync;
        _lease = lease;
        _signer = signer;
        _untrusted = untrusted;
        _options = options;
        _time = time;
        _logger = logger;
    }

    public async Task RunAsync(BreakerParticipant[] participants, CancellationToken stopping)
    {
        IDatabase db = _exchange.Connection.GetDatabase();
        if (participants.Length == 0)
        {
            await _exchange.WaitAsync(db.PingAsync(), stopping).ConfigureAwait(false);
            _reachability.Reached();
            return;
        }

        // Round 1: publish counts, read the fleet's state and who is alive.
        var metrics = new CircuitBreakerMetrics[participants.Length];
        var states = new Task<FleetStateRead>[participants.Length];
        var members = new Task<RedisValue[]>[participants.Length];
        var work = new List<Task>(participants.Length * 6);
        IBatch batch = db.CreateBatch();
        for (int i = 0; i < participants.Length; i++)
        {
            BreakerParticipant p = participants[i];
            metrics[i] = p.Breaker.GetMetrics();
            NoteTraffic(p, metrics[i]);
            work.Add(batch.StringSetAsync(p.Keys.OwnCounts, OwnCounts(p, metrics[i]).Format(_signer, p.Keys.OwnCounts), _options.LocalFallbackAfter));
            work.Add(batch.SetAddAsync(p.Keys.Instances, _options.InstanceId));
            work.Add(batch.KeyExpireAsync(p.Keys.Instances, _options.LocalFallbackAfter));

            // A random sample, bounded: a set flooded with invented members cannot make a round read without end.
            members[i] = batch.SetRandomMembersAsync(p.Keys.Instances, FleetLimits.MaxInstances);
            work.Add(members[i]);
        }

        batch.Execute();
        for (int i = 0; i < participants.Length; i++)
        {
            states[i] = FleetStateRead.ReadAsync(db, participants[i]);
            work.Add(states[i]);
        }

        await _exchange.WaitAsync(Task.WhenAll(work), stopping).ConfigureAwait(false);
        for (int i = 0; i < participants.Length; i++)
        {
            await _sync.ApplyAsync(participants[i], states[i].Result, stopping).ConfigureAwait(false);
        }

        // Round 2: the live instances' counts.
        batch = db.CreateBatch();
        work.Clear();
        var counts = new Task<RedisValue[]>[participants.Length];
        string[][] ids = new string[participants.Length][];
        for (int i = 0; i < participants.Length; i++)
        {
            ids[i] = ValidMembers(participants[i], members[i].Result);
            BreakerParticipant p = participants[i];
            counts[i] = ids[i].Length == 0
                ? Task.FromResult(Array.Empty<RedisValue>())
                : batch.StringGetAsync(ids[i].Select(id => (RedisKey)p.Keys.CountsOf(id)).ToArray());
            work.Add(counts[i]);
        }

        batch.Execute();
        await _exchange.WaitAsync(Task.WhenAll(work), stopping).ConfigureAwait(false);
        _reachability.Reached();

        for (int i = 0; i < participants.Length; i++)
        {
            BreakerParticipant p = participants[i];
            CircuitBreakerOptions options = p.Breaker.Options;
            FleetView view = Sum(p, options, ids[i], counts[i].Result, db);
            if (!p.Version.IsBreak && metrics[i].State == CircuitState.Closed && view.ShouldOpen(options, _options.MinimumInstances))
            {
                await OpenForFleetAsync(p, view, stopping).ConfigureAwait(false);
            }

            await _lease.KeepAsync(p, db, stopping).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// This instance's counts: its window when the breaker is closed and the window holds only outcomes measured since the
    /// last fleet break; zeros otherwise (an open circuit's window is the evidence of the break it is in, not of the next).
    /// </summary>
    private InstanceCounts OwnCounts(BreakerParticipant p, CircuitBreakerMetrics metrics) =>
        metrics.State == CircuitState.Closed && p.IsWindowFresh(metrics)
            ? InstanceCounts.From(metrics, p.Version.Epoch, _options.InstanceId)
            : InstanceCounts.Nothing(p.Version.Epoch, _options.InstanceId);

    /// <summary>A lease holder whose breaker still receives calls keeps its lease.</summary>
    private void NoteTraffic(BreakerParticipant p, CircuitBreakerMetrics metrics)
    {
        if (metrics.TotalCalls != p.LastTotalCalls)
        {
            p.LastTotalCalls = metrics.TotalCalls;
            if (p.HoldsLease)
            {
                p.LeaseActiveAt = _time.GetTimestamp();
            }
        }
    }

    private string[] ValidMembers(BreakerParticipant p, RedisValue[] members)
    {
        var ids = new List<string>(members.Length);
        foreach (RedisValue member in members)
        {
            string id = member!;
            if (FleetLimits.IsValidInstanceId(id))
            {
                ids.Add(id);
            }
            else
            {
                _untrusted.Report("instance", id, p.Breaker.Name, "not an instance id");
            }
        }

        return ids.ToArray();
    }

    private FleetView Sum(BreakerParticipant p, CircuitBreakerOptions options, string[] ids, RedisValue[] values, IDatabase db)
    {
        var view = default(FleetView);
        var peers = new List<CoordinationPeer>(ids.Length);
        for (int j = 0; j < ids.Length; j++)
        {
            if (values[j].IsNull)
            {
                // Its counts expired: the instance is gone.
                db.SetRemove(p.Keys.Instances, ids[j], CommandFlags.FireAndForget);
            }
            else if (!InstanceCounts.TryParse(values[j], p.Keys.CountsOf(ids[j]), ids[j], _signer, out InstanceCounts c, out string? problem))
            {
                _untrusted.Report("counts", ids[j], p.Breaker.Name, problem!);
            }
            else if (c.Epoch == p.Version.Epoch)
            {
                // Counts of another epoch were measured before the last close (or by an instance that has not seen it yet).
                view = view.Add(c, options);
                peers.Add(new CoordinationPeer(c.InstanceId, c.Calls, c.Failures, c.SlowCalls, FleetView.Crosses(c, options)));
            }
        }

        peers.Sort(static (a, b) => string.CompareOrdinal(a.InstanceId, b.InstanceId));
        p.Counted(peers);
        return view;
    }

    /// <summary>
    /// Opens this instance's breaker for the break it chooses itself and shares that break, if no other instance opened
    /// the fleet first (compare-and-set on the state record). Only an instance whose breaker is closed opens the fleet.
    /// </summary>
    private async Task OpenForFleetAsync(BreakerParticipant p, FleetView view, CancellationToken stopping)
    {
        if (!p.Breaker.TryOpen(out TimeSpan chosen))
        {
            return;
        }

        chosen = ProbeLeaseKeeper.AtLeastOneMs(chosen);
        FleetVersion opening = p.Version.Opening;
        if (await _sync.TryWriteAsync(p, FleetState.Break(opening, chosen, _options.BreakGrace, _options.InstanceId), announce: true, stopping).ConfigureAwait(false))
        {
            p.EnterBreak(opening, chosen, _options.BreakGrace);
            Log.FleetOpened(_logger, p.Breaker.Name, chosen, view.InstancesCrossed, view.Instances, view.Failures, view.SlowCalls, view.Calls);
        }
        else
        {
            // Another instance opened it first: follow its break now rather than at the next round.
            await _sync.SyncAsync(p, stopping).ConfigureAwait(false);
        }
    }
}
