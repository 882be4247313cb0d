using System;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Polly;

namespace Breaker.Benchmarks;

/// <summary>
/// The same Polly v8 pipeline with Breaker's strategy (<c>AddBreaker</c>, Breaker.Polly) against Polly's own circuit breaker
/// strategy, closed and open: what a Polly user pays, or saves, by swapping the breaker and keeping the pipeline.
/// </summary>
public class PollyStrategyBenchmarks
{
    private readonly GuardedService _service = new();
    private readonly ResiliencePipeline<int> _polly = BenchmarkSettings.PollyPipeline();
    private readonly ResiliencePipeline<int> _breaker = BreakerPipeline("bench-polly-strategy");
    private readonly ResiliencePipeline<int> _pollyOpen = BenchmarkSettings.PollyPipeline();
    private readonly ResiliencePipeline<int> _breakerOpen = BreakerPipeline("bench-polly-strategy-open");

    [GlobalSetup]
    public void Trip()
    {
        for (int i = 0; i < BenchmarkSettings.MinimumThroughput; i++)
        {
            Wait(RunOutcome(_pollyOpen, fail: true));
            Wait(RunOutcome(_breakerOpen, fail: true));
        }

        if (Wait(Polly_RejectedOutcome()) != -1 || Wait(Breaker_RejectedOutcome()) != -1 || Polly_Sync() != Breaker_Sync())
        {
            throw new InvalidOperationException("The open circuits did not open, or the closed ones do not agree.");
        }
    }

    [Benchmark(Baseline = true)]
    public int Polly_Sync() => _polly.Execute(static s => s.ComputeDirect(1), _service);

    [Benchmark]
    public int Breaker_Sync() => _breaker.Execute(static s => s.ComputeDirect(1), _service);

    [Benchmark]
    public ValueTask<int> Polly_Async() => _polly.ExecuteAsync(static (s, _) => s.ComputeDirectValueTaskAsync(1), _service);

    [Benchmark]
    public ValueTask<int> Breaker_Async() => _breaker.ExecuteAsync(static (s, _) => s.ComputeDirectValueTaskAsync(1), _service);

    /// <summary>An open circuit, the non-throwing way: the rejection comes back as an outcome carrying its exception.</summary>
    [Benchmark]
    public ValueTask<int> Polly_RejectedOutcome() => RunOutcome(_pollyOpen, fail: false);

    [Benchmark]
    public ValueTask<int> Breaker_RejectedOutcome() => RunOutcome(_breakerOpen, fail: false);

    private static ResiliencePipeline<int> BreakerPipeline(string name) => new ResiliencePipelineBuilder<int>()
        .AddBreaker(name, new BreakerStrategyOptions<int>
        {
            Defaults = static o =>
            {
                CircuitBreakerOptions settings = BenchmarkSettings.BreakerOptions();
                o.FailureRatio = settings.FailureRatio;
                o.MinimumThroughput = settings.MinimumThroughput;
                o.SamplingDuration = settings.SamplingDuration;
                o.BreakDuration = settings.BreakDuration;
            },
            ShouldHandle = static args => new ValueTask<bool>(args.Outcome.Exception is not null),
        })
        .Build();

    private static int Wait(ValueTask<int> pending) => pending.AsTask().GetAwaiter().GetResult();

    /// <summary>Like OpenCircuitBenchmarks' Polly case: an async method that completes synchronously, so it allocates no task.</summary>
    private static async ValueTask<int> RunOutcome(ResiliencePipeline<int> pipeline, bool fail)
    {
        ResilienceContext context = ResilienceContextPool.Shared.Get();
        Outcome<int> outcome = await pipeline.ExecuteOutcomeAsync(
                static (_, f) => f ? Outcome.FromExceptionAsValueTask<int>(new InvalidOperationException()) : Outcome.FromResultAsValueTask(1),
                context,
                fail)
            .ConfigureAwait(false);
        ResilienceContextPool.Shared.Return(context);
        return outcome.Exception is null ? outcome.Result : -1;
    }
}
