namespace Breaker.Protocol;

/// <summary>What the fleet's state record of a breaker (and the announcement of a change to it) says.</summary>
internal enum FleetStateKind
{
    /// <summary>A shared break is in force (or over and awaiting the probes' verdict).</summary>
    Open,

    /// <summary>The probes of the last break succeeded: the fleet closed it and a new epoch began.</summary>
    Closed,

    /// <summary>No break, no verdict: the epoch, written again after Redis lost it or after a break that nobody probed.</summary>
    Epoch,
}
