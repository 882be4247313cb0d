using System;

namespace Breaker;

/// <summary>
/// One event as the ring stores it: times as UTC ticks, nothing that needs allocating to record (the detail of a
/// configuration event is a string that exists already).
/// </summary>
internal readonly record struct EventEntry(
    CircuitBreakerEventKind Kind,
    long UtcTicks,
    CircuitState From,
    CircuitState To,
    CircuitTransitionReason Reason,
    TimeSpan? BreakDuration,
    long Count,
    long SinceUtcTicks,
    bool IsMetricsOnly,
    string? Detail);
