using System;

namespace Breaker.Testing;

/// <summary>The breaker recorded a call as failed.</summary>
/// <param name="At">When, on the scope's clock.</param>
/// <param name="Kind">Why it failed.</param>
/// <param name="Exception">What it ended with (none for a result judged a failure).</param>
public sealed record RecordedFailure(DateTimeOffset At, FailureKind Kind, Exception? Exception) : RecordedEvent(At)
{
    /// <inheritdoc/>
    public override string ToString() =>
        Exception is null ? $"failed ({Kind})" : $"failed ({Kind}: {Exception.GetType().Name}: {Exception.Message})";
}
