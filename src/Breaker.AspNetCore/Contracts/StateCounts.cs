using System.Collections.Generic;

namespace Breaker.AspNetCore.Contracts;

/// <summary>How many breakers are in each state.</summary>
internal sealed record StateCounts(int Closed, int Open, int HalfOpen, int Isolated, int MetricsOnly)
{
    public static StateCounts From(IReadOnlyDictionary<CircuitState, int> counts) => new(
        counts[CircuitState.Closed],
        counts[CircuitState.Open],
        counts[CircuitState.HalfOpen],
        counts[CircuitState.Isolated],
        counts[CircuitState.MetricsOnly]);
}
