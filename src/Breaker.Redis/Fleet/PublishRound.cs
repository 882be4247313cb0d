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
    private readonly string _session;
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
        string session,
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
        _session = session;
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
        var own = new InstanceCounts[participants.Length];
        var states = new Task<FleetStateRead>[participants.Length];
        var members = new Task<RedisValue[]>[participants.Length];
        var work = new List<Task>(participants.Length * 6);
        IBatch batch = db.CreateBatch();
        for (int i = 0; i < participants.Length; i++)
        {
            BreakerParticipant p = participants[i];
            metrics[i] = p.Breaker.GetMetrics();
            NoteTraffic(p, metrics[i]);
            own[i] = OwnCounts(p, metrics[i]);
            work.Add(batch.StringSetAsync(p.Keys.OwnCounts, own[i].Format(_signer, p.Keys.OwnCounts), _options.LocalFallbackAfter));
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
            List<InstanceCounts> live = Read(p, own[i], ids[i], counts[i].Result, db);

            // The state record is applied once the others' marks and epochs are known: a break counts only if its writer's
            // rounds vouch for it, and never one of an epoch older than the fleet's.
            await _sync.ApplyAsync(p, states[i].Result, stopping).ConfigureAwait(false);
            FleetView view = Sum(p, options, live);
            if (!p.Version.IsBreak && view.ShouldOpen(options, _options.MinimumInstances))
            {
                if (metrics[i].State == CircuitState.Closed)
                {
                    await OpenForFleetAsync(p, view, stopping).ConfigureAwait(false);
                }
                else if (p.TripWindow is not null && metrics[i].State == CircuitState.Open && metrics[i].RetryAfter is { } left && left > TimeSpan.Zero)
                {
                    // It tripped on its own between two rounds: the fleet takes the break it is in, as it still runs.
                    await ShareBreakAsync(p, left, view, stopping).ConfigureAwait(false);
                }
            }

            await _lease.KeepAsync(p, db, stopping).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// This instance's counts, marked with a new round: its window when the breaker is closed and the window holds only
    /// outcomes measured since the last fleet break; the window at the moment it opened on its own evidence while the fleet
    /// has not followed that break (the evidence that opened it, which the fleet would otherwise never hear of when it
    /// tripped between two rounds); zeros otherwise (an open circuit's window is the evidence of the break it is in).
    /// </summary>
    private InstanceCounts OwnCounts(BreakerParticipant p, CircuitBreakerMetrics metrics)
    {
        RoundMark mark = p.NextMark(_session);
        long epoch = p.Version.Epoch;
        if (metrics.State == CircuitState.Closed && p.IsWindowFresh(metrics))
        {
            return InstanceCounts.From(metrics, epoch, mark, _options.InstanceId);
        }

        return metrics.State == CircuitState.Open && !p.Version.IsBreak && p.TripWindow is { } trip
            ? InstanceCounts.From(trip, epoch, mark, _options.InstanceId)
            : InstanceCounts.Nothing(epoch, mark, _options.InstanceId);
    }

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

    /// <summary>
    /// Reads the instances' counts: refuses the invalid, the unsigned and the replayed (older than what was read before),
    /// adopts the fleet's epoch if the live instances count in a later one than this instance knows (it joined, or missed a
    /// close), and returns the counts that may be summed: this instance's own (never read back from Redis, where anyone
    /// with write rights could replace them) and those of instances whose records were seen moving.
    /// </summary>
    private List<InstanceCounts> Read(BreakerParticipant p, InstanceCounts own, string[] ids, RedisValue[] values, IDatabase db)
    {
        var live = new List<InstanceCounts>(ids.Length + 1) { own };
        long fleetEpoch = own.Epoch;
        p.Peers.Own(_options.InstanceId, own.Mark);
        for (int j = 0; j < ids.Length; j++)
        {
            if (ids[j] == _options.InstanceId)
            {
                continue;
            }

            if (values[j].IsNull)
            {
                // Its counts expired: the instance is gone.
                db.SetRemove(p.Keys.Instances, ids[j], CommandFlags.FireAndForget);
            }
            else if (!InstanceCounts.TryParse(values[j], p.Keys.CountsOf(ids[j]), ids[j], _signer, out InstanceCounts c, out string? problem))
            {
                _untrusted.Report("counts", ids[j], p.Breaker.Name, problem!);
            }
            else if (p.Peers.Judge(c) is not { } moving)
            {
                _untrusted.Report("counts", ids[j], p.Breaker.Name, "older than counts already read from it (a replay)");
            }
            else
            {
                // Not a replay: its epoch is one the fleet reached, whether or not it has been seen moving yet.
                fleetEpoch = Math.Max(fleetEpoch, c.Epoch);
                if (moving)
                {
                    live.Add(c);
                }
            }
        }

        p.Peers.EndRound();
        if (fleetEpoch > p.Version.Epoch && !p.Version.IsBreak)
        {
            p.LeaveBreak(new FleetVersion(fleetEpoch, 0));
        }

        return live;
    }

    /// <summary>Sums the counts of the current epoch (counts of another were measured before the last close, or by an instance that has not seen it yet).</summary>
    private static FleetView Sum(BreakerParticipant p, CircuitBreakerOptions options, List<InstanceCounts> live)
    {
        var view = default(FleetView);
        var peers = new List<CoordinationPeer>(live.Count);
        foreach (InstanceCounts c in live)
        {
            if (c.Epoch == p.Version.Epoch)
            {
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
        if (p.Breaker.TryOpen(out TimeSpan chosen))
        {
            await ShareBreakAsync(p, chosen, view, stopping).ConfigureAwait(false);
        }
    }

    private async Task ShareBreakAsync(BreakerParticipant p, TimeSpan chosen, FleetView view, CancellationToken stopping)
    {
        chosen = ProbeLeaseKeeper.AtLeastOneMs(chosen);
        FleetVersion opening = p.Version.Opening;
        if (await _sync.TryWriteAsync(p, FleetState.Break(opening, chosen, _options.BreakGrace, _sync.Writer(p)), announce: true, stopping).ConfigureAwait(false))
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
