using System;

namespace Breaker;

/// <summary>A snapshot of one breaker's counters: lifetime totals, plus the current window's rates.</summary>
public sealed record CircuitBreakerMetrics
{
    /// <summary>The breaker's name.</summary>
    public required string Name { get; init; }

    /// <summary>The state when the snapshot was taken (as <see cref="CircuitBreaker.State"/> reports it).</summary>
    public CircuitState State { get; init; }

    /// <summary>
    /// True when the break is over but no call has arrived since: <see cref="State"/> is <see cref="CircuitState.HalfOpen"/>,
    /// and the half-open period (its <see cref="CircuitBreaker.StateChanged"/> event, its probes) starts with the next call.
    /// </summary>
    public bool AwaitingProbe { get; init; }

    /// <summary>
    /// Every call that reached the breaker, once: successful, failed, ignored, and rejected without running. (In metrics-only mode
    /// a would-be rejection runs, so it counts by its outcome, not again as a rejection.)
    /// </summary>
    public long TotalCalls { get; init; }

    /// <summary>Calls recorded as successes (slow ones included).</summary>
    public long SuccessfulCalls { get; init; }

    /// <summary>Calls recorded as failures.</summary>
    public long FailedCalls { get; init; }

    /// <summary>Calls rejected without running (in <see cref="CircuitState.MetricsOnly"/>: calls that would have been).</summary>
    public long RejectedCalls { get; init; }

    /// <summary>Calls that ended neither as a success nor as a failure (the caller's cancellation, ignored exceptions).</summary>
    public long IgnoredCalls { get; init; }

    /// <summary>Calls answered by a fallback, after a failure or a rejection.</summary>
    public long FallbackCalls { get; init; }

    /// <summary>Calls, successful or not, that took at least the slow-call duration.</summary>
    public long SlowCalls { get; init; }

    /// <summary>How many times the circuit opened.</summary>
    public long CircuitOpens { get; init; }

    /// <summary>How many times the circuit closed again after opening.</summary>
    public long CircuitCloses { get; init; }

    /// <summary>Probe calls admitted while half-open.</summary>
    public long HalfOpenAttempts { get; init; }

    /// <summary>Calls in the current sliding window.</summary>
    public long WindowCalls { get; init; }

    /// <summary>Failed calls in the current sliding window.</summary>
    public long WindowFailures { get; init; }

    /// <summary>Slow calls in the current sliding window.</summary>
    public long WindowSlowCalls { get; init; }

    /// <summary>The failure ratio of the current window, from 0 to 1: what the breaker judges by.</summary>
    public double FailureRate { get; init; }

    /// <summary>The slow-call ratio of the current window, from 0 to 1.</summary>
    public double SlowCallRate { get; init; }

    /// <summary>The mean duration of the calls that ran (successes and failures).</summary>
    public TimeSpan AverageDuration { get; init; }

    /// <summary>
    /// The median duration of the calls in the current window; <see langword="null"/> when it holds none. Durations are
    /// sorted into bins an eighth of a doubling either side of the value reported (within 12.5%); see docs/semantics.md.
    /// </summary>
    public TimeSpan? DurationP50 { get; init; }

    /// <summary>The 95th percentile of the durations of the calls in the current window (as precise as <see cref="DurationP50"/>).</summary>
    public TimeSpan? DurationP95 { get; init; }

    /// <summary>The 99th percentile of the durations of the calls in the current window (as precise as <see cref="DurationP50"/>).</summary>
    public TimeSpan? DurationP99 { get; init; }

    /// <summary>How long until an open circuit admits probes; <see langword="null"/> unless open.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
