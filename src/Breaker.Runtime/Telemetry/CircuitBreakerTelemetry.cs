namespace Breaker;

/// <summary>The names to give OpenTelemetry (or any listener) to collect Breaker's metrics and trace events.</summary>
public static class CircuitBreakerTelemetry
{
    /// <summary>
    /// The <see cref="System.Diagnostics.Metrics.Meter"/> with <c>breaker.calls</c>, <c>breaker.call.time</c>,
    /// <c>breaker.window.call.duration</c>, <c>breaker.state.transitions</c> and <c>breaker.state</c>. Listening to it costs
    /// a call nothing: its counts are read from the breakers when collected.
    /// </summary>
    public const string MeterName = "Breaker";

    /// <summary>
    /// The opt-in meter with <c>breaker.call.duration</c>, a histogram recorded on every call that ran: add it only when
    /// you need every call's duration (it costs each call a record and a precise clock; docs/benchmarks.md has the figure).
    /// </summary>
    public const string HistogramMeterName = "Breaker.Histograms";

    /// <summary>The <see cref="System.Diagnostics.ActivitySource"/> whose listeners make rejections and state changes events on the current activity.</summary>
    public const string ActivitySourceName = "Breaker";
}
