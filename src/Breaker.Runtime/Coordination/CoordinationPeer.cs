namespace Breaker;

/// <summary>What one instance reported about a shared breaker: its window's counts and whether its own thresholds are crossed.</summary>
/// <param name="InstanceId">The instance's name.</param>
/// <param name="WindowCalls">Calls in its window (only outcomes measured since the last shared break count).</param>
/// <param name="WindowFailures">Failed calls in its window.</param>
/// <param name="WindowSlowCalls">Slow calls in its window.</param>
/// <param name="ThresholdCrossed">Whether its window crosses its breaker's failure or slow-call ratio.</param>
public sealed record CoordinationPeer(string InstanceId, long WindowCalls, long WindowFailures, long WindowSlowCalls, bool ThresholdCrossed);
