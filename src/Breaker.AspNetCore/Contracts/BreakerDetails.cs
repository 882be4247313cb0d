namespace Breaker.AspNetCore.Contracts;

/// <summary>Everything the monitor says about one breaker: its state, the options in force and its metrics.</summary>
internal sealed record BreakerDetails(string Name, CircuitState State, BreakerOptionsView Options, BreakerMetricsView Metrics)
{
    public static BreakerDetails From(CircuitBreaker breaker) => From(breaker, breaker.GetMetrics());

    public static BreakerDetails From(CircuitBreaker breaker, CircuitBreakerMetrics metrics) =>
        new(breaker.Name, metrics.State, BreakerOptionsView.From(breaker.Options), BreakerMetricsView.From(metrics));
}
