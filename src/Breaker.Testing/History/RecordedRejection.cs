using System;

namespace Breaker.Testing;

/// <summary>The breaker rejected a call without running it (or, in metrics-only mode, would have).</summary>
/// <param name="At">When, on the scope's clock.</param>
/// <param name="State">The state that rejected it.</param>
/// <param name="RetryAfter">How long until the circuit admitted calls again, when known.</param>
/// <param name="IsMetricsOnly">True when the call ran all the same (metrics-only mode).</param>
public sealed record RecordedRejection(DateTimeOffset At, CircuitState State, TimeSpan? RetryAfter, bool IsMetricsOnly) : RecordedEvent(At)
{
    /// <inheritdoc/>
    public override string ToString() => $"rejected while {State}" + (IsMetricsOnly ? " (metrics-only: it ran)" : string.Empty);
}
