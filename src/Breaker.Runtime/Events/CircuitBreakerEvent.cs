using System;

namespace Breaker;

/// <summary>One entry of a breaker's recent history (<see cref="CircuitBreaker.GetRecentEvents"/>).</summary>
public sealed record CircuitBreakerEvent
{
    /// <summary>The breaker's name.</summary>
    public required string BreakerName { get; init; }

    /// <summary>
    /// The event's place in the breaker's history: 1 for its first event, one more for each later one. An ongoing burst of
    /// rejections, not yet closed by a state change, has the number its event will take.
    /// </summary>
    public long Sequence { get; init; }

    /// <summary>When it happened (for <see cref="CircuitBreakerEventKind.CallsRejected"/>: when the burst ended, or now while it goes on).</summary>
    public DateTimeOffset Time { get; init; }

    /// <summary>What happened.</summary>
    public CircuitBreakerEventKind Kind { get; init; }

    /// <summary>The state left, or the state that rejected the calls; <see langword="null"/> for configuration events.</summary>
    public CircuitState? From { get; init; }

    /// <summary>The state entered; <see langword="null"/> unless <see cref="CircuitBreakerEventKind.StateChanged"/>.</summary>
    public CircuitState? To { get; init; }

    /// <summary>Why the state changed (<see cref="CircuitTransitionReason.Unknown"/> for other kinds).</summary>
    public CircuitTransitionReason Reason { get; init; }

    /// <summary>How long the break lasts, when the circuit opened.</summary>
    public TimeSpan? BreakDuration { get; init; }

    /// <summary>How many calls were rejected, for <see cref="CircuitBreakerEventKind.CallsRejected"/>.</summary>
    public long Count { get; init; }

    /// <summary>When the burst of rejections started (the state change before it), for <see cref="CircuitBreakerEventKind.CallsRejected"/>.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>True for what happened in <see cref="CircuitState.MetricsOnly"/> mode: a change or rejection that only would have happened.</summary>
    public bool IsMetricsOnly { get; init; }

    /// <summary>True for a burst of rejections still going on (the circuit still rejects): its count grows until the state changes.</summary>
    public bool IsOngoing { get; init; }

    /// <summary>For configuration events: what changed, or why the configuration was refused.</summary>
    public string? Detail { get; init; }
}
