using System;
using Breaker.Protocol;

namespace Breaker.Fleet;

/// <summary>A message to the coordination loop; everything that touches Redis or a participant's fleet state runs there, one at a time.</summary>
internal sealed record Signal(SignalKind Kind, BreakerParticipant Participant)
{
    /// <summary>For <see cref="SignalKind.Sync"/>: the version the announcement claimed (only a newer one is worth a read).</summary>
    public FleetVersion Announced { get; init; }

    /// <summary>For <see cref="SignalKind.Verdict"/>: the state the probes led to (closed, or open again).</summary>
    public CircuitState Outcome { get; init; }

    /// <summary>For a reopening verdict: the break the breaker chose, which the fleet shares as it is.</summary>
    public TimeSpan BreakDuration { get; init; }
}
