using System;
using System.Collections.Generic;
using System.Threading;
using Breaker.Protocol;
using StackExchange.Redis;

namespace Breaker.Fleet;

/// <summary>
/// One breaker taking part in fleet coordination. The breaker asks it, on a call, whether it may start probing; it answers
/// from fields the coordination loop keeps up to date, never from Redis. Fields marked "loop only" are read and written on
/// the coordination loop alone.
/// </summary>
internal sealed class BreakerParticipant : CircuitCoordinator
{
    private readonly IFleetLink _link;
    private volatile bool _followsBreak;
    private volatile bool _holdsLease;
    private volatile bool _windowStale;
    private int _wantsLease;
    private int _syncWanted;
    private volatile CircuitBreakerMetrics? _trip;
    // Replaced whole, never changed once published (a HashSet, not IReadOnlySet: netstandard2.0 has no IReadOnlySet).
    private volatile HashSet<string> _knownInstances = new(StringComparer.Ordinal);
    private volatile Snapshot _seen = new(0, null, null, null, []);

    public BreakerParticipant(CircuitBreaker breaker, FleetKeys keys, IFleetLink link)
    {
        Breaker = breaker;
        Keys = keys;
        _link = link;
    }

    public CircuitBreaker Breaker { get; }

    public FleetKeys Keys { get; }

    /// <summary>The fleet version this instance applied last (loop only): versions only move forward.</summary>
    public FleetVersion Version { get; private set; }

    /// <summary>This instance's mark at its last publish round (loop only): its session and the round's number.</summary>
    public RoundMark Mark { get; private set; }

    /// <summary>The marks of the instances whose counts were read at the last round (loop only).</summary>
    public PeerRounds Peers { get; } = new();

    /// <summary>
    /// The window at the moment the breaker opened on its own evidence (its failure or slow-call ratio), while the fleet has
    /// not followed that break: fresh evidence, published in place of the open breaker's zeros so that an instance that
    /// trips between two rounds still tells the fleet. <see langword="null"/> otherwise.
    /// </summary>
    public CircuitBreakerMetrics? TripWindow => _trip;

    /// <summary>The state record as last read or written (loop only), for compare-and-set writes.</summary>
    public RedisValue StateValue { get; set; }

    /// <summary>How long the current fleet break's record outlives its end (loop only).</summary>
    public TimeSpan Grace { get; private set; }

    /// <summary>The probe lease key's value as last read, and since when (loop clock) it held it without a verdict (loop only).</summary>
    public string? LeaseHolder { get; private set; }

    public long LeaseHolderSince { get; private set; }

    /// <summary>When this instance took the probe lease or last saw its breaker receive a call while holding it, on the loop's clock (loop only).</summary>
    public long LeaseActiveAt { get; set; }

    /// <summary>The breaker's total calls at the last publish round (loop only), to tell whether it still receives calls.</summary>
    public long LastTotalCalls { get; set; }

    /// <summary>The lifetime outcomes (successes + failures) when the window last became stale (loop only).</summary>
    public long StaleSince { get; private set; }

    /// <summary>Whether this instance follows a fleet break: it waits for the probe lease or the fleet's verdict before probing.</summary>
    public bool FollowsBreak => _followsBreak;

    /// <summary>Whether this instance holds the fleet's probe lease for the current break.</summary>
    public bool HoldsLease
    {
        get => _holdsLease;
        set => _holdsLease = value;
    }

    public bool WantsLease => Volatile.Read(ref _wantsLease) != 0;

    public override bool MayStartProbing(CircuitBreaker breaker)
    {
        // Local behaviour whenever the fleet is out of reach or this instance does not follow a fleet break.
        if (!_link.IsCoordinating || !_followsBreak || _holdsLease)
        {
            return true;
        }

        // Only a call gets here: the lease is asked for on behalf of real traffic, never by someone reading the breaker.
        if (Interlocked.Exchange(ref _wantsLease, 1) == 0)
        {
            _link.Post(new Signal(SignalKind.LeaseWanted, this));
        }

        return false;
    }

    public override CoordinationStatus? GetStatus(CircuitBreaker breaker)
    {
        // A pure read of what the loop last saw: the fleet's break stays shown after this instance gave up waiting for
        // its verdict (then it is not coordinating), until a newer record replaces it.
        Snapshot seen = _seen;
        CircuitState shared = seen.BreakEnds is not { } ends ? CircuitState.Closed
            : Breaker.TimeProvider.GetUtcNow() < ends ? CircuitState.Open
            : CircuitState.HalfOpen;
        return new CoordinationStatus
        {
            InstanceId = _link.InstanceId,
            IsCoordinating = _link.IsCoordinating && !seen.Abandoned,
            SharedState = shared,
            BreakEnds = seen.BreakEnds,
            ProbeLeaseHolder = seen.LeaseHolder,
            Epoch = seen.Epoch,
            ObservedAt = seen.ObservedAt,
            Instances = seen.Instances,
        };
    }

    /// <summary>Whether counts of another instance than this one were summed at the last round (any thread).</summary>
    public bool SeesOthers => _seen.Instances.Count > 1;

    /// <summary>Whether a sender of announcements published valid counts at the last round (any thread).</summary>
    public bool Knows(string instanceId) => _knownInstances.Contains(instanceId);

    /// <summary>Asks the loop to read the fleet's state of this breaker, once however many announcements ask (any thread).</summary>
    public bool TryRequestSync() => Interlocked.Exchange(ref _syncWanted, 1) == 0;

    public void SyncStarted() => Volatile.Write(ref _syncWanted, 0);

    /// <summary>The mark of a new publish round of <paramref name="session"/> (loop only).</summary>
    public RoundMark NextMark(string session)
    {
        Mark = new RoundMark(session, Mark.Session == session ? Mark.Round + 1 : 1);
        return Mark;
    }

    /// <summary>Follows a fleet break from now on (loop only): its lease, if any, belonged to the previous one.</summary>
    public void EnterBreak(FleetVersion version, TimeSpan applied, TimeSpan grace)
    {
        Version = version;
        _trip = null;
        Grace = grace;
        _holdsLease = false;
        ClearLeaseWish();
        _followsBreak = true;
        _seen = _seen with { BreakEnds = Breaker.TimeProvider.GetUtcNow() + applied, Abandoned = false };
    }

    /// <summary>Leaves the fleet's break, if any, and adopts <paramref name="version"/> (loop only). The breaker is not touched.</summary>
    public void LeaveBreak(FleetVersion version)
    {
        Version = version;
        _followsBreak = false;
        _holdsLease = false;
        ClearLeaseWish();
        _seen = _seen with { BreakEnds = null, Abandoned = false, Epoch = version.Epoch };
    }

    /// <summary>Stops waiting for a verdict that does not come (loop only): the breaker probes on its own for this break.</summary>
    public void Abandon()
    {
        _followsBreak = false;
        ClearLeaseWish();
        _seen = _seen with { Abandoned = true };
    }

    public void ClearLeaseWish() => Volatile.Write(ref _wantsLease, 0);

    /// <summary>
    /// The breaker's window may hold outcomes from before a fleet break (loop only): until it closes again, or until it
    /// has measured as many outcomes since as its window holds, it reports nothing to the fleet.
    /// </summary>
    public void MarkWindowStale(CircuitBreakerMetrics metrics)
    {
        StaleSince = metrics.SuccessfulCalls + metrics.FailedCalls;
        _windowStale = true;
    }

    /// <summary>Whether the window holds only outcomes measured since the last fleet break (loop only).</summary>
    public bool IsWindowFresh(CircuitBreakerMetrics metrics)
    {
        // Windows keep the latest outcomes, so once as many were measured since the break as the window holds, every one
        // it holds is fresh. A close empties the window (OnStateChanged clears the mark).
        if (_windowStale && metrics.SuccessfulCalls + metrics.FailedCalls - StaleSince >= metrics.WindowCalls)
        {
            _windowStale = false;
        }

        return !_windowStale;
    }

    /// <summary>
    /// Keeps what the last read showed (loop only): for <see cref="GetStatus"/>, the lease holder if it is an instance id;
    /// for how long one holder kept the lease, whatever the lease key holds (a squatter may write anything).
    /// </summary>
    public void Observed(string? leaseValue, string? leaseHolder, long now)
    {
        if (leaseValue != LeaseHolder)
        {
            LeaseHolder = leaseValue;
            LeaseHolderSince = now;
        }

        _seen = _seen with { LeaseHolder = leaseHolder, ObservedAt = Breaker.TimeProvider.GetUtcNow(), Epoch = Version.Epoch };
    }

    /// <summary>Keeps who reported valid counts at the last round (loop only).</summary>
    public void Counted(IReadOnlyList<CoordinationPeer> peers)
    {
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (CoordinationPeer peer in peers)
        {
            known.Add(peer.InstanceId);
        }

        _knownInstances = known;
        _seen = _seen with { Instances = peers };
    }

    public void OnStateChanged(object? sender, CircuitStateChangedEventArgs change)
    {
        if (change.IsMetricsOnly)
        {
            return;
        }

        if (change.To == CircuitState.Closed)
        {
            // Every close empties the window: what it measures from now on is fresh.
            _windowStale = false;
            _trip = null;
        }
        else if (change.From == CircuitState.Closed && change.To == CircuitState.Open && !_windowStale
            && change.Reason is CircuitTransitionReason.FailureRatio or CircuitTransitionReason.SlowCallRatio)
        {
            // Tripped by its own window, on the calling thread, possibly between two rounds: the window keeps what it held at
            // this moment (only a close empties it), and that is what the fleet must hear. Once per opening, off the hot path.
            _trip = change.Breaker.GetMetrics();
        }

        if (change.From == CircuitState.HalfOpen && _holdsLease)
        {
            _link.Post(new Signal(SignalKind.Verdict, this) { Outcome = change.To, BreakDuration = change.BreakDuration.GetValueOrDefault() });
        }
    }

    private sealed record Snapshot(long Epoch, string? LeaseHolder, DateTimeOffset? ObservedAt, DateTimeOffset? BreakEnds, IReadOnlyList<CoordinationPeer> Instances)
    {
        public bool Abandoned { get; init; }
    }
}
