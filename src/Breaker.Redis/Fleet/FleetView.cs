using Breaker.Protocol;

namespace Breaker.Fleet;

/// <summary>
/// The sum of the counts that the live instances published for one breaker in the current epoch. Whether an instance's
/// counts cross a threshold is judged here, by this instance's own options, not taken from the sender.
/// </summary>
internal readonly record struct FleetView(int Instances, int InstancesCrossed, long Calls, long Failures, long SlowCalls)
{
    /// <summary>Whether <paramref name="counts"/> cross <paramref name="options"/>' failure or slow-call ratio (with at least one call).</summary>
    public static bool Crosses(InstanceCounts counts, CircuitBreakerOptions options) =>
        counts.Calls > 0 && options.IsRatioThresholdReached(counts.Calls, counts.Failures, counts.SlowCalls);

    public FleetView Add(InstanceCounts counts, CircuitBreakerOptions options) => new(
        Instances + 1,
        InstancesCrossed + (Crosses(counts, options) ? 1 : 0),
        Calls + counts.Calls,
        Failures + counts.Failures,
        SlowCalls + counts.SlowCalls);

    /// <summary>
    /// Whether the fleet opens the breaker: the fleet-wide ratio is crossed over at least <c>MinimumThroughput</c> calls, and
    /// at least <paramref name="minimumInstances"/> instances each see the ratio crossed (so no single instance can
    /// open the breaker for the others).
    /// </summary>
    public bool ShouldOpen(CircuitBreakerOptions options, int minimumInstances) =>
        InstancesCrossed >= minimumInstances
        && Calls >= options.MinimumThroughput
        && options.IsRatioThresholdReached(Calls, Failures, SlowCalls);
}
