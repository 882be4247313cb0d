using System;
using System.Collections.Generic;

namespace Breaker;

/// <summary>
/// A snapshot of one breaker's shared state as its coordinator last saw it (see <see cref="CircuitCoordinator.GetStatus"/>):
/// whether this instance follows the shared verdict or acts on its own, the shared verdict, who probes, and what each
/// instance reported.
/// </summary>
public sealed record CoordinationStatus
{
    /// <summary>This instance's name among those that share the breaker.</summary>
    public required string InstanceId { get; init; }

    /// <summary>
    /// Whether the breaker follows the shared verdict now. False while it acts on its own: the shared store is out of reach,
    /// the coordinator stopped, or it gave up waiting for a verdict that did not come.
    /// </summary>
    public bool IsCoordinating { get; init; }

    /// <summary>
    /// The shared verdict: <see cref="CircuitState.Closed"/> (no shared break), <see cref="CircuitState.Open"/> (a shared
    /// break is in force) or <see cref="CircuitState.HalfOpen"/> (the shared break is over and one instance probes for all).
    /// </summary>
    public CircuitState SharedState { get; init; }

    /// <summary>When the shared break ends, on this instance's clock (computed here from the remaining duration); <see langword="null"/> without a shared break.</summary>
    public DateTimeOffset? BreakEnds { get; init; }

    /// <summary>The instance that holds the probe lease (probes for all), or <see langword="null"/> when none does.</summary>
    public string? ProbeLeaseHolder { get; init; }

    /// <summary>How many times the shared circuit has closed after a shared break: outcomes from earlier epochs never count.</summary>
    public long Epoch { get; init; }

    /// <summary>When the coordinator last read the shared state, on this instance's clock; <see langword="null"/> before it ever did.</summary>
    public DateTimeOffset? ObservedAt { get; init; }

    /// <summary>The instances whose reports counted at that read, this one included, sorted by name.</summary>
    public IReadOnlyList<CoordinationPeer> Instances { get; init; } = [];
}
