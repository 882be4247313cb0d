using System;

namespace Breaker.Protocol;

/// <summary>
/// Where the fleet's verdict on one breaker stands: the epoch (raised by every close) and, within it, the sequence of
/// breaks (0: no break; 1: the opening; 2 and on: reopenings after failed probes). Versions only move forward: a record
/// whose version is not newer than the one an instance applied (a replay, a stale copy) changes nothing there.
/// </summary>
internal readonly record struct FleetVersion(long Epoch, long Sequence) : IComparable<FleetVersion>
{
    public bool IsBreak => Sequence > 0;

    /// <summary>The first break of this epoch.</summary>
    public FleetVersion Opening => new(Epoch, 1);

    /// <summary>The break after this one failed its probes.</summary>
    public FleetVersion Reopening => new(Epoch, Sequence + 1);

    /// <summary>The epoch after this break closed, or after it was left without a verdict.</summary>
    public FleetVersion NextEpoch => new(Epoch + 1, 0);

    public static bool operator <(FleetVersion left, FleetVersion right) => left.CompareTo(right) < 0;

    public static bool operator >(FleetVersion left, FleetVersion right) => left.CompareTo(right) > 0;

    public static bool operator <=(FleetVersion left, FleetVersion right) => left.CompareTo(right) <= 0;

    public static bool operator >=(FleetVersion left, FleetVersion right) => left.CompareTo(right) >= 0;

    public int CompareTo(FleetVersion other) => Epoch != other.Epoch ? Epoch.CompareTo(other.Epoch) : Sequence.CompareTo(other.Sequence);

    public override string ToString() => $"{Epoch}.{Sequence}";
}
