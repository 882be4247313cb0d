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
    private readonly RedisCoordinationOptions _options;
    private readonly RedisChannel _channel;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public ProbeLeaseKeeper(RedisExchange exchange, RedisCoordinationOptions options, RedisChannel channel, TimeProvider time, ILogger logger)
    {
        _exchange = exchange;
        _options = options;
        _channel = channel;
        _time = time;
        _logger = logger;
    }

    /// <summary>The lease holder renews its lease while it probes; an instance that wants to probe tries to take it.</summary>
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
            else if (p.Probing)
            {
                bool kept = await _exchange.WaitAsync(db.LockExtendAsync(p.Keys.ProbeLease, _options.InstanceId, _options.ProbeLeaseDuration), stopping).ConfigureAwait(false);
                p.HoldsLease = kept;
                if (kept)
                {
                    await _exchange.WaitAsync(db.KeyExpireAsync(p.Keys.Open, 2 * _options.ProbeLeaseDuration, ExpireWhen.GreaterThanCurrentExpiry), stopping).ConfigureAwait(false);
                }
            }
        }
        else if (p.WantsLease && p.InFleetBreak)
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

        // The break outlives the lease, so that if this instance dies another can take the lease before the break vanishes.
        await _exchange.WaitAsync(db.KeyExpireAsync(p.Keys.Open, 2 * _options.ProbeLeaseDuration, ExpireWhen.GreaterThanCurrentExpiry), stopping).ConfigureAwait(false);
        p.LeaseActiveAt = _time.GetTimestamp();
        p.Probing = false;
        p.HoldsLease = true;
        p.ClearLeaseWish();
        Log.LeaseTaken(_logger, p.Breaker.Name);
    }

    public async Task PublishVerdictAsync(BreakerParticipant p, Signal verdict, CancellationToken stopping)
    {
        IDatabase db = _exchange.Connection.GetDatabase();
        FleetMessage message;
        if (verdict.Outcome == CircuitState.Closed)
        {
            // One transaction, so nobody reads the break gone while the epoch is still the old one.
            ITransaction transaction = db.CreateTransaction();
            _ = transaction.KeyDeleteAsync(p.Keys.Open);
            Task<long> epoch = transaction.StringIncrementAsync(p.Keys.Epoch);
            _ = transaction.KeyExpireAsync(p.Keys.Epoch, TimeSpan.FromDays(1));
            await _exchange.WaitAsync(transaction.ExecuteAsync(), stopping).ConfigureAwait(false);
            long newEpoch = await _exchange.WaitAsync(epoch, stopping).ConfigureAwait(false);
            p.LeaveFleetBreak();
            p.Epoch = newEpoch;
            message = new FleetMessage(FleetMessageKind.Closed, newEpoch, _options.InstanceId, p.Breaker.Name);
        }
        else
        {
            long remainingMs = verdict.BreakEndsMs - p.Breaker.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
            TimeSpan keep = AtLeastOneMs(TimeSpan.FromMilliseconds(remainingMs)) + _options.ProbeLeaseDuration;
            await _exchange.WaitAsync(db.StringSetAsync(p.Keys.Open, verdict.BreakEndsMs, keep), stopping).ConfigureAwait(false);
            p.HoldsLease = false;
            p.Probing = false;
            p.FleetBreakEndsMs = verdict.BreakEndsMs;
            p.AppliedEndsMs = verdict.BreakEndsMs;
            message = new FleetMessage(FleetMessageKind.Opened, verdict.BreakEndsMs, _options.InstanceId, p.Breaker.Name);
        }

        await _exchange.WaitAsync(db.LockReleaseAsync(p.Keys.ProbeLease, _options.InstanceId), stopping).ConfigureAwait(false);
        await _exchange.WaitAsync(db.PublishAsync(_channel, message.Format()), stopping).ConfigureAwait(false);
        Log.VerdictPublished(_logger, p.Breaker.Name, verdict.Outcome);
    }

    private static TimeSpan AtLeastOneMs(TimeSpan span) => span < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : span;
}
