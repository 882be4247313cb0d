using System;
using System.Collections.Generic;

namespace Breaker.Fleet;

/// <summary>
/// Which breakers take part in fleet coordination, decided in one place: the listed ones (by name, or by group for keyed
/// breakers), or, when none is listed, every breaker that is not keyed. Keyed breakers (one per host, per tenant...) are
/// made from input and may be many, so they never take part unless listed; and no more than <c>MaxBreakers</c> take part.
/// </summary>
internal sealed class FleetParticipation
{
    private readonly HashSet<string> _listed;
    private readonly int _max;

    public FleetParticipation(IEnumerable<string> listed, int max)
    {
        _listed = new HashSet<string>(listed, StringComparer.Ordinal);
        _max = max;
    }

    public int Max => _max;

    /// <summary>Whether <paramref name="breaker"/> is meant to take part, before the cap.</summary>
    public bool IsMeantToTakePart(CircuitBreaker breaker) =>
        _listed.Contains(breaker.Name)
        || (breaker.Group is { } group ? _listed.Contains(group) : _listed.Count == 0);

    /// <summary>Whether one more breaker fits under the cap, <paramref name="participating"/> taking part already.</summary>
    public bool HasRoom(int participating) => participating < _max;
}
