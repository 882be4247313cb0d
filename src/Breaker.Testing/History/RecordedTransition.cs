using System;

namespace Breaker.Testing;

/// <summary>The breaker moved from <paramref name="From"/> to <paramref name="To"/> on its own (calls and time), not because the test forced it.</summary>
/// <param name="At">When, on the scope's clock.</param>
/// <param name="From">The state it left.</param>
/// <param name="To">The state it entered.</param>
/// <param name="BreakDuration">The break it started, when <paramref name="To"/> is <see cref="CircuitState.Open"/>.</param>
public sealed record RecordedTransition(DateTimeOffset At, CircuitState From, CircuitState To, TimeSpan? BreakDuration) : RecordedEvent(At)
{
    /// <inheritdoc/>
    public override string ToString() => BreakDuration is { } pause ? $"{From} -> {To} (break {pause})" : $"{From} -> {To}";
}
