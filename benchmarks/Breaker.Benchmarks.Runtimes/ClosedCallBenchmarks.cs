using System;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Polly;

namespace Breaker.Benchmarks.Runtimes;

/// <summary>One call through a closed circuit on the runtime and Breaker build this program was built for, beside a direct call and Polly v8.</summary>
public class ClosedCallBenchmarks
{
    private readonly Service _service = new();
    private readonly ResiliencePipeline<int> _polly = new ResiliencePipelineBuilder<int>()
        .AddCircuitBreaker(new()
        {
            FailureRatio = 0.5,
            MinimumThroughput = 10,
            SamplingDuration = TimeSpan.FromSeconds(30),
            BreakDuration = TimeSpan.FromSeconds(60),
            ShouldHandle = static args => new ValueTask<bool>(args.Outcome.Exception is not null),
        })
        .Build();

    [Benchmark(Baseline = true)]
    public int Direct() => _service.ComputeDirect(1);

    [Benchmark]
    public int Breaker_Sync() => _service.Compute(1);

    [Benchmark]
    public ValueTask<int> Breaker_ValueTask() => _service.ComputeValueTaskAsync(1);

    [Benchmark]
    public int Polly_Sync() => _polly.Execute(static s => s.ComputeDirect(1), _service);
}

/// <summary>Generated methods with the settings of the main benchmarks (ratio 0.5, 10 calls, a 30 s window, a 60 s break).</summary>
public sealed partial class Service
{
    private int _offset = 41;

    [CircuitBreaker("runtimes-sync", FailureRatio = 0.5, MinimumThroughput = 10, SamplingDurationMs = 30_000, BreakDurationMs = 60_000)]
    public partial int Compute(int value);

    [CircuitBreaker("runtimes-valuetask", FailureRatio = 0.5, MinimumThroughput = 10, SamplingDurationMs = 30_000, BreakDurationMs = 60_000)]
    public partial ValueTask<int> ComputeValueTaskAsync(int value);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public int ComputeDirect(int value) => value + _offset;

    private int ComputeCore(int value) => value + _offset;

    private ValueTask<int> ComputeValueTaskAsyncCore(int value) => new(value + _offset);
}
