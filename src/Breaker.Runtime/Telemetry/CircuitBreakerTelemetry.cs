namespace Breaker;

/// <summary>The names to give OpenTelemetry (or any listener) to collect Breaker's metrics and trace events.</summary>
public static class CircuitBreakerTelemetry
{
    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> with <c>breaker.calls</c>, <c>breaker.call.duration</c>, <c>breaker.state.transitions</c> and <c>breaker.state</c>.</summary>
    public const string MeterName = "Breaker";

    /// <summary>The <see cref="System.Diagnostics.ActivitySource"/> whose listeners make rejections and state changes events on the current activity.</summary>
    public const string ActivitySourceName = "Breaker";
}
