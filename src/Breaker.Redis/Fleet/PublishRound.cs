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
/// One publish round: publish this instance's counts, read the fleet's state and counts, apply openings and closes that
/// were missed on the channel, open breakers the fleet agrees on, and keep or take probe leases.
/// </summary>
internal sealed class PublishRound
{
    private readonly RedisExchange _exchange;
    private readonly Reachability _reachability;
    private readonly FleetBreakApplier _applier;
    private readonly ProbeLeaseKeeper _lease;
    private readonly RedisCoordinationOptions _options;
    private readonly RedisChannel _channel;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public PublishRound(
        RedisExchange exchange,
        Reachability reachability,
        FleetBreakApplier applier,
        ProbeLeaseKeeper lease,
        RedisCoordinationOptions options,
        RedisChannel channel,
        TimeProvider time,
        ILogger logger)
    {
        _exchange = exchange;
        _reachability = reachability;
        _applier = applier;
        _lease = lease;
        _options = options;
        _channel = channel;
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
        TimeSpan countsLive = _options.LocalFallbackAfter;
        IBatch batch = db.CreateBatch();
        var reads = new (Task<RedisValue> Open, Task<RedisValue> Epoch, Task<RedisValue[]> Members)[participants.Length];
        var work = new List<Task>(participants.Length * 6);
        for (int i = 0; i < participants.Length; i++)
        {
            BreakerParticipant p = participants[i];
            CircuitBreakerMetrics metrics = p.Breaker.GetMetrics();
            if (metrics.TotalCalls != p.LastTotalCalls)
            {
                p.LastTotalCalls = metrics.TotalCalls;
                if (p.HoldsLease)
                {
                    p.LeaseActiveAt = _time.GetTimestamp();
                }
            }

            var own = InstanceCounts.From(metrics, p.Breaker.Options, p.Epoch);
            work.Add(batch.StringSetAsync(p.Keys.OwnCounts, own.Format(), countsLive));
            work.Add(batch.SetAddAsync(p.Keys.Instances, _options.InstanceId));
            work.Add(batch.KeyExpireAsync(p.Keys.Instances, countsLive));
            reads[i] = (batch.StringGetAsync(p.Keys.Open), batch.StringGetAsync(p.Keys.Epoch), batch.SetMembersAsync(p.Keys.Instances));
            work.Add(reads[i].Open);
            work.Add(reads[i].Epoch);
            work.Add(reads[i].Members);
        }

        batch.Execute();
        await _exchange.WaitAsync(Task.WhenAll(work), stopping).ConfigureAwait(false);

        for (int i = 0; i < participants.Length; i++)
        {
            _applier.Reconcile(participants[i], reads[i].Open.Result, reads[i].Epoch.Result);
        }

        // Round 2: the live instances' counts.
        batch = db.CreateBatch();
        work.Clear();
        var counts = new Task<RedisValue[]>[participants.Length];
        string[][] members = new string[participants.Length][];
        for (int i = 0; i < participants.Length; i++)
        {
            members[i] = reads[i].Members.Result.Select(static m => (string)m!).ToArray();
            counts[i] = batch.StringGetAsync(members[i].Select(participants[i].Keys.CountsOf).ToArray());
            work.Add(counts[i]);
        }

        batch.Execute();
        await _exchange.WaitAsync(Task.WhenAll(work), stopping).ConfigureAwait(false);
        _reachability.Reached();

        for (int i = 0; i < participants.Length; i++)
        {
            BreakerParticipant p = participants[i];
            FleetView view = Sum(p, members[i], counts[i].Result, db);
            if (reads[i].Open.Result.IsNull && !p.InFleetBreak && view.ShouldOpen(p.Breaker.Options, _options.MinimumInstances))
            {
                await OpenForFleetAsync(p, view, db, stopping).ConfigureAwait(false);
            }

            await _lease.KeepAsync(p, db, stopping).ConfigureAwait(false);
        }
    }

    private static FleetView Sum(BreakerParticipant p, string[] members, RedisValue[] values, IDatabase db)
    {
        var view = default(FleetView);
        for (int j = 0; j < members.Length; j++)
        {
            if (values[j].IsNull)
            {
                // Its counts expired: the instance is gone.
                db.SetRemove(p.Keys.Instances, members[j], CommandFlags.FireAndForget);
            }
            else if (InstanceCounts.TryParse(((string?)values[j]).AsSpan(), out InstanceCounts c) && c.Epoch == p.Epoch)
            {
                view = view.Add(c);
            }
        }

        return view;
    }

    private async Task OpenForFleetAsync(BreakerParticipant p, FleetView view, IDatabase db, CancellationToken stopping)
    {
        CircuitBreakerOptions options = p.Breaker.Options;
        DateTimeOffset ends = p.Breaker.TimeProvider.GetUtcNow() + options.BreakDuration;
        long endsMs = ends.ToUnixTimeMilliseconds();
        TimeSpan keep = options.BreakDuration + _options.ProbeLeaseDuration;
        bool won = await _exchange.WaitAsync(db.StringSetAsync(p.Keys.Open, endsMs, keep, When.NotExists), stopping).ConfigureAwait(false);
        if (!won)
        {
            return; // Another instance opened it first; its announcement (or the next round) applies it here.
        }

        Log.FleetOpened(_logger, p.Breaker.Name, view.InstancesCrossed, view.Instances, view.Failures, view.SlowCalls, view.Calls, ends);
        _applier.ApplyOpening(p, endsMs);
        var message = new FleetMessage(FleetMessageKind.Opened, endsMs, _options.InstanceId, p.Breaker.Name);
        await _exchange.WaitAsync(db.PublishAsync(_channel, message.Format()), stopping).ConfigureAwait(false);
    }
}
