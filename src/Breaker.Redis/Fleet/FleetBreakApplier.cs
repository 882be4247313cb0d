using System;
using Breaker.Logging;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Breaker.Fleet;

/// <summary>Applies the fleet's openings and closes to the local breakers, whether they arrive announced or read from Redis.</summary>
internal sealed class FleetBreakApplier
{
    private readonly ILogger _logger;

    public FleetBreakApplier(ILogger logger) => _logger = logger;

    /// <summary>Applies what Redis says about a breaker, in case its announcement was missed.</summary>
    public void Reconcile(BreakerParticipant p, RedisValue open, RedisValue epochValue)
    {
        long epoch = !epochValue.IsNull && epochValue.TryParse(out long e) ? e : 0;
        long endsMs = 0;
        bool hasOpening = !open.IsNull && open.TryParse(out endsMs);
        if (epoch != p.Epoch)
        {
            // A higher epoch with no break in force: the fleet closed while this instance missed the announcement.
            // (A lower one means Redis lost its data: adopt it and change nothing.)
            if (epoch > p.Epoch && !hasOpening && p.InFleetBreak)
            {
                CloseFromFleet(p);
            }

            p.Epoch = epoch;
        }

        if (hasOpening)
        {
            ApplyOpening(p, endsMs);
        }
        else if (p.InFleetBreak)
        {
            // The break expired with no verdict (nobody probed for the fleet): the breaker goes on by itself.
            p.LeaveFleetBreak();
        }
    }

    public void ApplyOpening(BreakerParticipant p, long endsMs)
    {
        if (p.FleetBreakEndsMs != endsMs)
        {
            p.HoldsLease = false;
            p.Probing = false;
            p.ClearLeaseWish();
        }

        p.FleetBreakEndsMs = endsMs;
        if (p.AppliedEndsMs != endsMs)
        {
            p.AppliedEndsMs = endsMs;
            p.Breaker.OpenUntil(FromUnixMs(endsMs));
            Log.OpeningApplied(_logger, p.Breaker.Name, FromUnixMs(endsMs));
        }
    }

    public void CloseFromFleet(BreakerParticipant p)
    {
        p.LeaveFleetBreak();
        if (p.Breaker.CloseIfOpen())
        {
            Log.CloseApplied(_logger, p.Breaker.Name);
        }
    }

    private static DateTimeOffset FromUnixMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
