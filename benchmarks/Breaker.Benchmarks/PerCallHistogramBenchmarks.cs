using BenchmarkDotNet.Attributes;

namespace Breaker.Benchmarks;

/// <summary>
/// What the opt-in per-call histogram costs: the closed-state call with a listener on the <c>Breaker</c> meter and on the
/// <c>Breaker.Histograms</c> meter (each call records its duration, timed on the precise clock).
/// </summary>
public class PerCallHistogramBenchmarks
{
    private readonly GuardedService _service = new();
    private MeterListening? _listener;

    [GlobalSetup]
    public void Listen() => _listener = new MeterListening(CircuitBreakerTelemetry.MeterName, CircuitBreakerTelemetry.HistogramMeterName);

    [GlobalCleanup]
    public void StopListening() => _listener?.Dispose();

    [Benchmark]
    public int Breaker_Sync_PerCallHistogram() => _service.ComputeHistogrammed(1);
}
