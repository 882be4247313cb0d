using System;
using System.Threading;
using System.Threading.Tasks;
using Breaker.Logging;
using Breaker.Protocol;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Breaker.Fleet;

/// <summary>
/// Applies the fleet's state record of a breaker to the local breaker, and writes it (compare-and-set, then announced).
/// The record is the only thing ever applied: announcements merely say when to read it. What it says is validated (and,
/// with a signing key, authenticated), applied only when its version is newer than the last one applied, clamped by the
/// breaker's own options, and never makes the breaker less protected than its own evidence asks.
/// </summary>
internal sealed class FleetStateSync
{
    private readonly RedisExchange _exchange;
    private readonly RecordSigner _signer;
    private readonly UntrustedSources _untrusted;
    private readonly string _instanceId;
    private readonly TimeSpan _interval;
    private readonly bool _holdToOwnBreak;
    private readonly RedisChannel _channel;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public FleetStateSync(
        RedisExchange exchange,
        RecordSigner signer,
        UntrustedSources untrusted,
        RedisCoordinationOptions options,
        RedisChannel channel,
        TimeProvider time,
        ILogger logger)
    {
        _exchange = exchange;
        _signer = signer;
        _untrusted = untrusted;
        _instanceId = options.InstanceId;
        _interval = options.PublishInterval;
        _holdToOwnBreak = options.HoldsUnsignedBreaks;
        _channel = channel;
        _time = time;
        _logger = logger;
    }

    /// <summary>Reads the fleet's state of one breaker and applies it (an announcement asked for it).</summary>
    public async Task SyncAsync(BreakerParticipant p, CancellationToken stopping)
    {
        IDatabase db = _exchange.Connection.GetDatabase();
        FleetStateRead read = await _exchange.WaitAsync(FleetStateRead.ReadAsync(db, p), stopping).ConfigureAwait(false);
        await ApplyAsync(p, read, stopping).ConfigureAwait(false);
    }

    public async Task ApplyAsync(BreakerParticipant p, FleetStateRead read, CancellationToken stopping)
    {
        if (Apply(p, read))
        {
            // Redis lost the epoch (restarted empty, the record expired, or an older one was written over it): write it
            // back, so that instances joining now count their calls in the same epoch as the others.
            await TryWriteAsync(p, FleetState.EpochOnly(p.Version, Writer(p)), announce: false, stopping).ConfigureAwait(false);
        }
    }

    /// <summary>This instance as the writer of a state record of <paramref name="p"/>'s breaker: its interval and its mark now.</summary>
    public FleetWriter Writer(BreakerParticipant p) => new(_instanceId, _interval, p.Mark);

    /// <summary>
    /// Replaces the state record with <paramref name="state"/> if it still holds what this instance last read (so one of
    /// several racing instances wins), then announces the change.
    /// </summary>
    /// <returns>Whether the record was written.</returns>
    public async Task<bool> TryWriteAsync(BreakerParticipant p, FleetState state, bool announce, CancellationToken stopping)
    {
        IDatabase db = _exchange.Connection.GetDatabase();
        string value = state.Format(_signer, p.Keys.State);
        if (!await _exchange.WaitAsync(FleetScripts.CompareAndSetAsync(db, p.Keys.State, p.StateValue, value, state.TimeToLive), stopping).ConfigureAwait(false))
        {
            return false;
        }

        p.StateValue = value;
        if (announce)
        {
            string message = new FleetMessage(state.Kind, state.Version, _instanceId, p.Breaker.Name).Format(_signer, _channel.ToString());
            await _exchange.WaitAsync(db.PublishAsync(_channel, message), stopping).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Applies one read; returns whether the fleet's epoch should be written back.</summary>
    private bool Apply(BreakerParticipant p, FleetStateRead read)
    {
        p.StateValue = read.Value;
        bool writeEpochBack = ApplyRecord(p, read.Value, read.TimeToLive);
        p.Observed(read.LeaseHolder, LeaseHolder(p, read.LeaseHolder), _time.GetTimestamp());
        return writeEpochBack;
    }

    private bool ApplyRecord(BreakerParticipant p, RedisValue value, TimeSpan? timeToLive)
    {
        if (!FleetState.TryParse(value, p.Keys.State, _signer, out FleetState? state, out string? problem) && problem is not null)
        {
            // Garbage, forged or unsigned: it changes nothing here (whatever was applied stays applied), and the next
            // record this instance writes replaces it.
            _untrusted.Report("state record", p.Keys.State, p.Breaker.Name, problem);
            return false;
        }

        if (state is null)
        {
            if (p.Version.IsBreak)
            {
                // The break's record expired without a verdict (nobody had traffic to probe with), Redis lost it, or it was
                // deleted: the breaker finishes the break on its own, and what it measured before counts no more.
                p.LeaveBreak(p.Version.NextEpoch);
                Log.BreakLeft(_logger, p.Breaker.Name);
            }

            return p.Version.Epoch > 0;
        }

        if (state.Version <= p.Version)
        {
            // Already applied, or older than what was (a stale copy, a replay): changes nothing here.
            return state.Version < p.Version && !p.Version.IsBreak;
        }

        switch (state.Kind)
        {
            case FleetStateKind.Open:
                // What is left of the break, by the signed break less the time its writer's rounds show passed since it wrote
                // it, and by the key's expiry: a TTL nobody signed can shorten a break, never lengthen it. A record whose
                // writer is not live in the session it names (a replay, or its writer is gone) is applied nowhere.
                if (p.Peers.Since(state.InstanceId, state.Mark, state.Interval) is not { } elapsed)
                {
                    _untrusted.Report("state record", p.Keys.State, p.Breaker.Name, "a break its writer's rounds do not vouch for (a replay, or its writer is gone)");
                    return false;
                }

                if (elapsed >= state.BreakDuration)
                {
                    // Over by its writer's own rounds, whatever the key's expiry says (an old break of a live writer written back).
                    return false;
                }

                TimeSpan remaining = state.RemainingBreak(timeToLive, elapsed);
                if (_holdToOwnBreak && remaining > p.Breaker.Options.BreakDuration)
                {
                    remaining = p.Breaker.Options.BreakDuration;
                }

                TimeSpan applied = p.Breaker.ClampSharedBreak(remaining);
                p.MarkWindowStale(p.Breaker.GetMetrics());
                p.EnterBreak(state.Version, applied, state.Grace);
                p.Breaker.OpenFor(remaining);
                Log.OpeningApplied(_logger, p.Breaker.Name, state.InstanceId, applied, remaining);
                break;

            case FleetStateKind.Closed when p.Version.IsBreak && state.Version == p.Version.NextEpoch:
                // The verdict on the break this instance followed. It closes the breaker only if the fleet opened it.
                p.LeaveBreak(state.Version);
                if (p.Breaker.CloseIfOpenedElsewhere())
                {
                    Log.CloseApplied(_logger, p.Breaker.Name, state.InstanceId);
                }

                break;

            default:
                // An epoch with no verdict, or a close of a break this instance did not follow: nothing to close here.
                if (p.Version.IsBreak)
                {
                    Log.BreakLeft(_logger, p.Breaker.Name);
                }

                p.LeaveBreak(state.Version);
                break;
        }

        return false;
    }

    private string? LeaseHolder(BreakerParticipant p, RedisValue holder)
    {
        string? id = holder;
        if (id is null || FleetLimits.IsValidInstanceId(id))
        {
            return id;
        }

        _untrusted.Report("probe lease", p.Keys.ProbeLease, p.Breaker.Name, "not an instance id");
        return null;
    }
}
