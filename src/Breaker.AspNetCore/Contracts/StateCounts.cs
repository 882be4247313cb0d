using System.Collections.Generic;
using Breaker.AspNetCore.Endpoints;

namespace Breaker.AspNetCore.Contracts;

/// <summary>How many breakers are in each state.</summary>
internal sealed record StateCounts(int Closed, int Open, int HalfOpen, int Isolated, int MetricsOnly)
{
    public static StateCounts From(IEnumerable<BreakerSnapshot> breakers)
    {
        int closed = 0, open = 0, halfOpen = 0, isolated = 0, metricsOnly = 0;
        foreach (BreakerSnapshot snapshot in breakers)
        {
            switch (snapshot.State)
            {
                case CircuitState.Open:
                    open++;
                    break;
                case CircuitState.HalfOpen:
                    halfOpen++;
                    break;
                case CircuitState.Isolated:
                    isolated++;
                    break;
                case CircuitState.MetricsOnly:
                    metricsOnly++;
                    break;
                default:
                    closed++;
                    break;
            }
        }

        return new StateCounts(closed, open, halfOpen, isolated, metricsOnly);
    }
}
