using System.Threading;
using Breaker.Protocol;

namespace Breaker.Fleet;

/// <summary>
/// One breaker taking part in fleet coordination. The breaker asks it, on a call, whether it may start probing; it answers
/// from fields the coordination loop keeps up to date, never from Redis.
/// </summary>
internal sealed class BreakerParticipant : CircuitCoordinator
{
    private readonly IFleetLink _link;
    private long _fleetBreakEndsMs;
    private volatile bool _holdsLease;
    private volatile bool _probing;
    private int _wantsLease;

    public BreakerParticipant(CircuitBreaker breaker, FleetKeys keys, IFleetLink link)
    {
        Breaker = breaker;
        Keys = keys;
        _link = link;
    }

    public CircuitBreaker Breaker { get; }

    public FleetKeys Keys { get; }

    /// <summary>The fleet's close counter as this instance last saw it (loop only).</summary>
    public long Epoch { get; set; }

    /// <summary>The last fleet break end applied to the local breaker with OpenUntil (loop only), so each is applied once.</summary>
    public long AppliedEndsMs { get; set; }

    /// <summary>When this instance took the probe lease or last saw its breaker receive a call while holding it, on the loop's clock (loop only).</summary>
    public long LeaseActiveAt { get; set; }

    /// <summary>The breaker's total calls at the last publish round (loop only), to tell whether it still receives calls.</summary>
    public long LastTotalCalls { get; set; }

    /// <summary>The end of the fleet break this breaker is in (Unix ms), or 0 when the fleet has not opened it.</summary>
    public long FleetBreakEndsMs
    {
        get => Volatile.Read(ref _fleetBreakEndsMs);
        set => Volatile.Write(ref _fleetBreakEndsMs, value);
    }

    public bool InFleetBreak => FleetBreakEndsMs != 0;

    /// <summary>Whether this instance holds the fleet's probe lease for the current break.</summary>
    public bool HoldsLease
    {
        get => _holdsLease;
        set => _holdsLease = value;
    }

    /// <summary>Whether the local breaker entered half-open while holding the lease (so the lease is renewed).</summary>
    public bool Probing
    {
        get => _probing;
        set => _probing = value;
    }

    public bool WantsLease => Volatile.Read(ref _wantsLease) != 0;

    public override bool MayStartProbing(CircuitBreaker breaker)
    {
        // Local behaviour whenever the fleet is out of reach or did not open this breaker.
        if (!_link.IsCoordinating || !InFleetBreak || _holdsLease)
        {
            return true;
        }

        if (Interlocked.Exchange(ref _wantsLease, 1) == 0)
        {
            _link.Post(new Signal(SignalKind.LeaseWanted, this));
        }

        return false;
    }

    /// <summary>Forgets everything about the fleet's break (after a verdict, or when the break vanished from Redis).</summary>
    public void LeaveFleetBreak()
    {
        FleetBreakEndsMs = 0;
        _holdsLease = false;
        _probing = false;
        Volatile.Write(ref _wantsLease, 0);
    }

    public void ClearLeaseWish() => Volatile.Write(ref _wantsLease, 0);

    public void OnStateChanged(object? sender, CircuitStateChangedEventArgs change)
    {
        if (change.IsMetricsOnly)
        {
            return;
        }

        if (change.To == CircuitState.HalfOpen)
        {
            _probing = _holdsLease;
        }
        else if (change.From == CircuitState.HalfOpen && _holdsLease)
        {
            _link.Post(Signal.Verdict(this, change));
        }
    }
}
