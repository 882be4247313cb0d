namespace Breaker.Protocol;

/// <summary>What a <see cref="FleetMessage"/> announces.</summary>
internal enum FleetMessageKind
{
    /// <summary>The fleet's circuit is open until the given end (Unix milliseconds).</summary>
    Opened,

    /// <summary>The fleet's circuit closed; the value is the new epoch.</summary>
    Closed,
}
