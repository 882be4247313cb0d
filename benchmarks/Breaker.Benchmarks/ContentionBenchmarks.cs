using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Polly;

namespace Breaker.Benchmarks;

/// <summary>Two threads calling one closed breaker at once; the time reported is per call, so lower means more throughput.</summary>
public class ContentionBenchmarks
{
    private const int CallsPerThread = 100_000;

    private readonly GuardedService _service = new();
    private readonly ResiliencePipeline<int> _polly = BenchmarkSettings.PollyPipeline();

    [Benchmark(Baseline = true, OperationsPerInvoke = 2 * CallsPerThread)]
    public void Breaker_TwoThreads() => Parallel.Invoke(BreakerLoop, BreakerLoop);

    [Benchmark(OperationsPerInvoke = 2 * CallsPerThread)]
    public void Polly_TwoThreads() => Parallel.Invoke(PollyLoop, PollyLoop);

    private void BreakerLoop()
    {
        for (int i = 0; i < CallsPerThread; i++)
        {
            _service.ComputeContended(1);
        }
    }

    private void PollyLoop()
    {
        for (int i = 0; i < CallsPerThread; i++)
        {
            _polly.Execute(static s => s.ComputeDirect(1), _service);
        }
    }
}
