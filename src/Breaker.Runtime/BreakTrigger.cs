using System;

namespace Breaker;

/// <summary>The outcome that opens a circuit, carried to the choice of its break (see <see cref="BreakContext"/>).</summary>
/// <param name="Kind">Why the call failed; <see langword="null"/> when no failed call opens it.</param>
/// <param name="Exception">The exception it ended with, if any.</param>
internal readonly record struct BreakTrigger(FailureKind? Kind, Exception? Exception)
{
    /// <summary>No outcome opens the circuit: a stuck probe, or evidence gathered elsewhere.</summary>
    public static BreakTrigger None => default;

    /// <summary>A call that succeeded: slow, or the one that reached the minimum throughput over a failing window.</summary>
    public static BreakTrigger Success(bool slow) => new(slow ? FailureKind.SlowCall : null, null);
}
