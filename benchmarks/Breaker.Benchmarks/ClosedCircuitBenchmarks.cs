using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Polly;

namespace Breaker.Benchmarks;

/// <summary>One call through a closed circuit: a direct call, generated Breaker methods, and Polly v8 used its fastest way (static lambda + state).</summary>
public class ClosedCircuitBenchmarks
{
    private readonly GuardedService _service = new();
    private readonly ResiliencePipeline<int> _polly = BenchmarkSettings.PollyPipeline();
    private readonly CircuitBreaker _breaker = new("closed-execute", BenchmarkSettings.BreakerOptions());

    [Benchmark(Baseline = true)]
    public int Direct() => _service.ComputeDirect(1);

    [Benchmark]
    public int Breaker_Sync() => _service.Compute(1);

    [Benchmark]
    public int Breaker_Execute() => _breaker.Execute(static s => s.ComputeDirect(1), _service);

    [Benchmark]
    public int Polly_Sync() => _polly.Execute(static s => s.ComputeDirect(1), _service);

    [Benchmark]
    public ValueTask<int> Direct_ValueTask() => _service.ComputeDirectValueTaskAsync(1);

    [Benchmark]
    public ValueTask<int> Breaker_ValueTask() => _service.ComputeValueTaskAsync(1);

    [Benchmark]
    public Task<int> Direct_Task() => _service.ComputeDirectTaskAsync(1);

    [Benchmark]
    public Task<int> Breaker_Task() => _service.ComputeTaskAsync(1);

    [Benchmark]
    public ValueTask<int> Polly_Async() => _polly.ExecuteAsync(static (s, _) => s.ComputeDirectValueTaskAsync(1), _service);
}
