using System;
using Breaker.Protocol;

namespace Breaker.Fleet;

/// <summary>A message to the coordination loop; everything that touches Redis or a participant's fleet state runs there, one at a time.</summary>
internal sealed record Signal(SignalKind Kind, BreakerParticipant? Participant, FleetMessage Announcement = default)
{
    /// <summary>For <see cref="SignalKind.Verdict"/>: the state the probes led to (closed, or open again).</summary>
    public CircuitState Outcome { get; init; }

    /// <summary>For a reopening verdict: when the new break ends, on the breaker's clock, in Unix milliseconds.</summary>
    public long BreakEndsMs { get; init; }

    public static Signal Verdict(BreakerParticipant participant, CircuitStateChangedEventArgs change)
    {
        long endsMs = 0;
        if (change.To == CircuitState.Open)
        {
            DateTimeOffset ends = participant.Breaker.TimeProvider.GetUtcNow() + (change.BreakDuration ?? participant.Breaker.Options.BreakDuration);
            endsMs = ends.ToUnixTimeMilliseconds();
        }

        return new Signal(SignalKind.Verdict, participant) { Outcome = change.To, BreakEndsMs = endsMs };
    }
}
