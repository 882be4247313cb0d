using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Polly;

namespace Breaker.Benchmarks;

/// <summary>One call through a closed circuit: a direct call, Breaker, and Polly v8 used its fastest way (static lambda + state).</summary>
public class ClosedCircuitBenchmarks
{
    private readonly CircuitBreaker _breaker = new("closed-execute", BenchmarkSettings.BreakerOptions());
    private readonly ResiliencePipeline<int> _polly = BenchmarkSettings.PollyPipeline();
    private readonly Service _service = new();

    [Benchmark(Baseline = true)]
    public int Direct() => _service.Compute(1);

    [Benchmark]
    public int Breaker_Execute() => _breaker.Execute(static s => s.Compute(1), _service);

    [Benchmark]
    public int Polly_Execute() => _polly.Execute(static s => s.Compute(1), _service);

    [Benchmark]
    public ValueTask<int> Breaker_ExecuteAsync() => _breaker.ExecuteAsync(static (s, _) => s.ComputeAsync(1), _service);

    [Benchmark]
    public ValueTask<int> Polly_ExecuteAsync() => _polly.ExecuteAsync(static (s, _) => s.ComputeAsync(1), _service);

    /// <summary>The guarded work: as small as possible, so what is measured is the breaker.</summary>
    public sealed class Service
    {
        private int _offset = 41;

        [MethodImpl(MethodImplOptions.NoInlining)]
        public int Compute(int value) => value + _offset;

        [MethodImpl(MethodImplOptions.NoInlining)]
        public ValueTask<int> ComputeAsync(int value) => new(value + _offset);
    }
}
