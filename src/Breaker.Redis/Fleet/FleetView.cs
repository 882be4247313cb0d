using Breaker.Protocol;

namespace Breaker.Fleet;

/// <summary>The sum of the counts that the live instances published for one breaker in the current epoch.</summary>
internal readonly record struct FleetView(int Instances, int InstancesCrossed, long Calls, long Failures, long SlowCalls)
{
    public FleetView Add(InstanceCounts counts) => new(
        Instances + 1,
        InstancesCrossed + (counts.Crossed ? 1 : 0),
        Calls + counts.Calls,
        Failures + counts.Failures,
        SlowCalls + counts.SlowCalls);

    /// <summary>
    /// Whether the fleet opens the breaker: the fleet-wide ratio is crossed over at least <c>MinimumThroughput</c> calls, and
    /// at least <paramref name="minimumInstances"/> instances each see their own ratio crossed (so no single instance can
    /// open the breaker for the others).
    /// </summary>
    public bool ShouldOpen(CircuitBreakerOptions options, int minimumInstances) =>
        InstancesCrossed >= minimumInstances
        && Calls >= options.MinimumThroughput
        && options.IsRatioThresholdReached(Calls, Failures, SlowCalls);
}
