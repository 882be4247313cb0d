namespace Breaker.AspNetCore.Contracts;

/// <summary>
/// Everything the monitor says about one breaker: its state, the options in force, its metrics, and, when it takes part in
/// fleet coordination, what its coordinator last saw (<see langword="null"/> otherwise).
/// </summary>
internal sealed record BreakerDetails(string Name, CircuitState State, BreakerOptionsView Options, BreakerMetricsView Metrics, BreakerCoordinationView? Coordination)
{
    public static BreakerDetails From(CircuitBreaker breaker) => From(breaker, breaker.GetMetrics());

    public static BreakerDetails From(CircuitBreaker breaker, CircuitBreakerMetrics metrics) =>
        new(breaker.Name, metrics.State, BreakerOptionsView.From(breaker.Options), BreakerMetricsView.From(metrics), BreakerCoordinationView.From(breaker));
}
