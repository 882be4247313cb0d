using System;
using System.Threading;
using System.Threading.Tasks;
using Breaker.Logging;
using Breaker.Protocol;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Breaker.Fleet;

/// <summary>
/// This instance's side of the fleet's probe lease: takes it when a call finds the break over, keeps it while probing,
/// and, as the holder, publishes the verdict of its probes and gives the lease back.
/// </summary>
internal sealed class ProbeLeaseKeeper
{
    private readonly RedisExchange _exchange;
    private readonly FleetStateSync _sync;
    private readonly RedisCoordinationOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public ProbeLeaseKeeper(RedisExchange exchange, FleetStateSync sync, RedisCoordinationOptions options, TimeProvider time, ILogger logger)
    {
        _exchange = exchange;
        _sync = sync;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// The lease holder renews its lease while its breaker gets calls; an instance whose calls want to probe tries to take it; and an
    /// instance waiting for a verdict that does not come gives up and probes on its own.
    /// </summary>
    public async Task KeepAsync(BreakerParticipant p, IDatabase db, CancellationToken stopping)
    {
        if (p.HoldsLease)
        {
            if (_time.GetElapsedTime(p.LeaseActiveAt) >= _options.ProbeLeaseDuration)
            {
                // No call reached this breaker for a whole lease (no traffic to probe with): let the lease lapse so an
                // instance with traffic probes.
                p.HoldsLease = false;
            }
            else
            {
                // Renewed every round while its breaker gets calls, probing or about to: the lease in Redis lives as long
                // as this instance believes it holds it, so no other instance probes meanwhile.
                bool kept = await _exchange.WaitAsync(FleetScripts.ExtendLeaseAsync(db, p.Keys.ProbeLease, _options.InstanceId, _options.ProbeLeaseDuration), stopping).ConfigureAwait(false);
                p.HoldsLease = kept;
                if (kept)
                {
                    await KeepBreakRecordAsync(p, db, stopping).ConfigureAwait(false);
                }
            }
        }
        else if (p.FollowsBreak && p.LeaseHolder is { } holder && holder != _options.InstanceId && _time.GetElapsedTime(p.LeaseHolderSince) >= VerdictWait(p))
        {
            // One instance has held the lease for longer than any probe of its can take without publishing a verdict (or
            // someone squats the lease): stop waiting for it.
            p.Abandon();
            Log.NoVerdict(_logger, p.Breaker.Name, VerdictWait(p));
        }
        else if (p.WantsLease && p.FollowsBreak)
        {
            await TakeAsync(p, db, stopping).ConfigureAwait(false);
        }
    }

    public async Task TakeAsync(BreakerParticipant p, IDatabase db, CancellationToken stopping)
    {
        bool taken = await _exchange.WaitAsync(db.LockTakeAsync(p.Keys.ProbeLease, _options.InstanceId, _options.ProbeLeaseDuration), stopping).ConfigureAwait(false);
        if (!taken)
        {
            return;
        }

        await KeepBreakRecordAsync(p, db, stopping).ConfigureAwait(false);
        p.LeaseActiveAt = _time.GetTimestamp();
        p.HoldsLease = true;
        p.ClearLeaseWish();
        Log.LeaseTaken(_logger, p.Breaker.Name);
    }

    public async Task PublishVerdictAsync(BreakerParticipant p, Signal verdict, CancellationToken stopping)
    {
        IDatabase db = _exchange.Connection.GetDatabase();
        try
        {
            if (verdict.Outcome == CircuitState.Closed)
            {
                FleetVersion closed = p.Version.NextEpoch;
                if (await _sync.TryWriteAsync(p, FleetState.Verdict(closed, _sync.Writer(p)), announce: true, stopping).ConfigureAwait(false))
                {
                    p.LeaveBreak(closed);
                    Log.VerdictPublished(_logger, p.Breaker.Name, verdict.Outcome, TimeSpan.Zero);
                    return;
                }
            }
            else if (verdict.Outcome == CircuitState.Open)
            {
                // The fleet shares the break this breaker chose for its reopening, as it is (receivers clamp it, never redraw it).
                TimeSpan chosen = AtLeastOneMs(verdict.BreakDuration);
                FleetVersion reopened = p.Version.Reopening;
                if (await _sync.TryWriteAsync(p, FleetState.Break(reopened, chosen, _options.BreakGrace, _sync.Writer(p)), announce: true, stopping).ConfigureAwait(false))
                {
                    p.EnterBreak(reopened, chosen, _options.BreakGrace);
                    Log.VerdictPublished(_logger, p.Breaker.Name, verdict.Outcome, chosen);
                    return;
                }
            }

            // Someone else changed the record meanwhile (or the breaker was isolated by hand): no verdict for the fleet.
            p.HoldsLease = false;
            Log.VerdictNotPublished(_logger, p.Breaker.Name, verdict.Outcome);
        }
        finally
        {
            await _exchange.WaitAsync(FleetScripts.ReleaseLeaseAsync(db, p.Keys.ProbeLease, _options.InstanceId), stopping).ConfigureAwait(false);
        }
    }

    public static TimeSpan AtLeastOneMs(TimeSpan span) => span < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : span;

    /// <summary>
    /// How long an instance waits for the verdict of one instance holding the probe lease: its own break (a probe may hang
    /// that long before it counts as failed) plus two leases. Then it probes on its own.
    /// </summary>
    private TimeSpan VerdictWait(BreakerParticipant p) => p.Breaker.Options.BreakDuration + _options.ProbeLeaseDuration + _options.ProbeLeaseDuration;

    /// <summary>
    /// Keeps the break's record alive while this instance probes, so that if it dies another can take the lease before the
    /// record vanishes. Only up to the grace: the break the record still holds (its time to live minus the grace) stays zero.
    /// </summary>
    private async Task KeepBreakRecordAsync(BreakerParticipant p, IDatabase db, CancellationToken stopping) =>
        await _exchange.WaitAsync(db.KeyExpireAsync(p.Keys.State, p.Grace, ExpireWhen.GreaterThanCurrentExpiry), stopping).ConfigureAwait(false);
}
