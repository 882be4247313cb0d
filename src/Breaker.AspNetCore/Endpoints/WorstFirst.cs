using System.Collections.Generic;

namespace Breaker.AspNetCore.Endpoints;

/// <summary>
/// Orders breakers by how much attention they need: open, then half-open, isolated, metrics-only, closed; within a state,
/// the closest to opening first (the window's failure or slow-call rate over its threshold); then by name.
/// </summary>
internal sealed class WorstFirst : IComparer<BreakerSnapshot>
{
    public static WorstFirst Instance { get; } = new();

    private WorstFirst()
    {
    }

    public int Compare(BreakerSnapshot x, BreakerSnapshot y)
    {
        int bySeverity = Severity(x.State).CompareTo(Severity(y.State));
        if (bySeverity != 0)
        {
            return bySeverity;
        }

        int byPressure = y.Pressure.CompareTo(x.Pressure);
        return byPressure != 0 ? byPressure : string.CompareOrdinal(x.Breaker.Name, y.Breaker.Name);
    }

    private static int Severity(CircuitState state) => state switch
    {
        CircuitState.Open => 0,
        CircuitState.HalfOpen => 1,
        CircuitState.Isolated => 2,
        CircuitState.MetricsOnly => 3,
        _ => 4,
    };
}
