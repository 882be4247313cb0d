namespace Breaker.Fleet;

/// <summary>Why the coordination loop was woken between its ticks.</summary>
internal enum SignalKind
{
    /// <summary>Another instance announced a change of the fleet's state: read it from Redis.</summary>
    Sync,

    /// <summary>A call found the fleet's break over and this instance does not hold the probe lease: try to take it.</summary>
    LeaseWanted,

    /// <summary>This instance's probes ended the half-open state: publish the verdict if it probed for the fleet.</summary>
    Verdict,
}
