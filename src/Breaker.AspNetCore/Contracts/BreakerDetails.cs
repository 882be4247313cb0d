using Breaker.AspNetCore.Endpoints;

namespace Breaker.AspNetCore.Contracts;

/// <summary>
/// Everything the monitor says about one breaker: its state, the options in force, its metrics, and, when it takes part in
/// fleet coordination, what its coordinator last saw (<see langword="null"/> otherwise).
/// </summary>
internal sealed record BreakerDetails(string Name, CircuitState State, BreakerOptionsView Options, BreakerMetricsView Metrics, BreakerCoordinationView? Coordination)
{
    public static BreakerDetails From(CircuitBreaker breaker) => From(BreakerSnapshot.Take(breaker));

    public static BreakerDetails From(BreakerSnapshot snapshot) => new(
        snapshot.Breaker.Name,
        snapshot.Metrics.State,
        BreakerOptionsView.From(snapshot.Options),
        BreakerMetricsView.From(snapshot.Metrics),
        BreakerCoordinationView.From(snapshot.Breaker));
}
