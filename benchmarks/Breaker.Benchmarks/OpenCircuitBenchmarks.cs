using System;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Polly;

namespace Breaker.Benchmarks;

/// <summary>Calls to an open circuit: answered by a fallback (no exception) or thrown, Breaker against Polly v8.</summary>
public class OpenCircuitBenchmarks
{
    private readonly GuardedService _service = new();
    private readonly ResiliencePipeline<int> _polly = BenchmarkSettings.PollyPipeline();

    [GlobalSetup]
    public void Trip()
    {
        _service.ComputeOrFallback(0);
        _service.ComputeOrThrow(0);
        GuardedService.Trip("bench-open-fallback");
        GuardedService.Trip("bench-open-throw");
        for (int i = 0; i < BenchmarkSettings.MinimumThroughput; i++)
        {
            _polly.ExecuteOutcomeAsync(static (_, _) => Outcome.FromExceptionAsValueTask<int>(new InvalidOperationException()), ResilienceContextPool.Shared.Get(), 0)
                .AsTask().GetAwaiter().GetResult();
        }

        if (_service.ComputeOrFallback(0) != -1 || Polly_RejectedOutcome().AsTask().GetAwaiter().GetResult() != -1)
        {
            throw new InvalidOperationException("The circuits did not open.");
        }
    }

    /// <summary>A generated method with a fallback: a rejection creates no exception.</summary>
    [Benchmark(Baseline = true)]
    public int Breaker_RejectedWithFallback() => _service.ComputeOrFallback(1);

    /// <summary>Polly's non-throwing path: the rejection comes back as an outcome carrying its exception.</summary>
    [Benchmark]
    public async ValueTask<int> Polly_RejectedOutcome()
    {
        ResilienceContext context = ResilienceContextPool.Shared.Get();
        Outcome<int> outcome = await _polly.ExecuteOutcomeAsync(static (_, _) => Outcome.FromResultAsValueTask(1), context, 0).ConfigureAwait(false);
        ResilienceContextPool.Shared.Return(context);
        return outcome.Exception is null ? outcome.Result : -1;
    }

    [Benchmark]
    public int Breaker_RejectedThrows()
    {
        try
        {
            return _service.ComputeOrThrow(1);
        }
        catch (BrokenCircuitException)
        {
            return -1;
        }
    }

    [Benchmark]
    public int Polly_RejectedThrows()
    {
        try
        {
            return _polly.Execute(static () => 1);
        }
        catch (Polly.CircuitBreaker.BrokenCircuitException)
        {
            return -1;
        }
    }
}
