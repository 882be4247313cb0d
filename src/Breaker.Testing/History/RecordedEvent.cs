using System;

namespace Breaker.Testing;

/// <summary>Something a scope's breaker did, and when on the scope's clock: a <see cref="RecordedTransition"/>, <see cref="RecordedRejection"/> or <see cref="RecordedFailure"/>.</summary>
/// <param name="At">When it happened, on the scope's clock.</param>
public abstract record RecordedEvent(DateTimeOffset At);
