using Breaker.AspNetCore.Endpoints;

namespace Breaker.AspNetCore.Contracts;

/// <summary>Everything the monitor says about one breaker: its state, the options in force and its metrics.</summary>
internal sealed record BreakerDetails(string Name, CircuitState State, BreakerOptionsView Options, BreakerMetricsView Metrics)
{
    public static BreakerDetails From(CircuitBreaker breaker) => From(BreakerSnapshot.Take(breaker));

    public static BreakerDetails From(BreakerSnapshot snapshot) => new(
        snapshot.Breaker.Name,
        snapshot.Metrics.State,
        BreakerOptionsView.From(snapshot.Options),
        BreakerMetricsView.From(snapshot.Metrics));
}
