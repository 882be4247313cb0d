using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;

namespace Breaker.Benchmarks;

/// <summary>
/// The closed-state call with metrics off and on: a generated Breaker method, and Polly v8 configured the documented way
/// (<c>ConfigureTelemetry</c>). "On" is a <see cref="System.Diagnostics.Metrics.MeterListener"/> enabling every instrument
/// of the <c>Breaker</c> and <c>Polly</c> meters, as an OpenTelemetry SDK given <c>AddMeter("Breaker", "Polly")</c> does.
/// </summary>
public class TelemetryBenchmarks
{
    private readonly GuardedService _service = new();
    private readonly ResiliencePipeline<int> _polly = BenchmarkSettings.PollyPipelineWithTelemetry(NullLoggerFactory.Instance);
    private MeterListening? _listener;

    [Params(false, true)]
    public bool Listening { get; set; }

    [GlobalSetup]
    public void Listen()
    {
        _listener = Listening ? new MeterListening(CircuitBreakerTelemetry.MeterName, "Polly") : null;
    }

    [GlobalCleanup]
    public void StopListening() => _listener?.Dispose();

    [Benchmark]
    public int Breaker_Sync() => _service.ComputeObserved(1);

    [Benchmark]
    public int Polly_Sync() => _polly.Execute(static s => s.ComputeDirect(1), _service);
}
