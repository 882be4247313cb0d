using System;

namespace Breaker.AspNetCore.Contracts;

/// <summary>One entry of a breaker's recent history as the monitor sends it (see <see cref="CircuitBreakerEvent"/>); durations in milliseconds.</summary>
internal sealed record BreakerEventView(
    string Breaker,
    long Sequence,
    DateTimeOffset Time,
    CircuitBreakerEventKind Kind,
    CircuitState? From,
    CircuitState? To,
    CircuitTransitionReason Reason,
    double? BreakDurationMs,
    long Count,
    DateTimeOffset? Since,
    bool MetricsOnly,
    bool Ongoing,
    string? Detail)
{
    public static BreakerEventView Of(CircuitBreakerEvent e) => new(
        e.BreakerName,
        e.Sequence,
        e.Time,
        e.Kind,
        e.From,
        e.To,
        e.Reason,
        e.BreakDuration?.TotalMilliseconds,
        e.Count,
        e.Since,
        e.IsMetricsOnly,
        e.IsOngoing,
        e.Detail);
}
