namespace Breaker.AspNetCore.Contracts;

/// <summary>
/// Everything the monitor says about one breaker: its state, the options in force, its metrics, and, when it takes part in
/// fleet coordination, what its coordinator last saw (<see langword="null"/> otherwise).
/// </summary>
internal sealed record BreakerDetails(string Name, CircuitState State, BreakerOptionsView Options, BreakerMetricsView Metrics, BreakerCoordinationView? Coordination)
{
    /// <summary>The breaker's details, its metrics (percentiles included) and options read now.</summary>
    public static BreakerDetails From(CircuitBreaker breaker)
    {
        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        return new BreakerDetails(
            breaker.Name,
            metrics.State,
            BreakerOptionsView.From(breaker.Options),
            BreakerMetricsView.From(metrics),
            BreakerCoordinationView.From(breaker));
    }
}
