using System;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Polly;

namespace Breaker.Benchmarks;

/// <summary>Calls to an open circuit: answered by a fallback (no exception) or thrown, Breaker against Polly v8.</summary>
public class OpenCircuitBenchmarks
{
    private readonly CircuitBreaker _breaker = new("open", BenchmarkSettings.BreakerOptions());
    private readonly ResiliencePipeline<int> _polly = BenchmarkSettings.PollyPipeline();

    [GlobalSetup]
    public void Trip()
    {
        for (int i = 0; i < BenchmarkSettings.MinimumThroughput; i++)
        {
            CircuitPermit permit = _breaker.TryAcquire();
            permit.RecordFailure(new InvalidOperationException());
            _polly.ExecuteOutcomeAsync(static (_, _) => Outcome.FromExceptionAsValueTask<int>(new InvalidOperationException()), ResilienceContextPool.Shared.Get(), 0)
                .AsTask().GetAwaiter().GetResult();
        }

        if (_breaker.State != CircuitState.Open)
        {
            throw new InvalidOperationException("The breaker did not open.");
        }
    }

    /// <summary>What the generator emits for a method with a fallback: no exception is created on a rejection.</summary>
    [Benchmark(Baseline = true)]
    public int Breaker_RejectedWithFallback()
    {
        CircuitPermit permit = _breaker.TryAcquire(rejectionUsesFallback: true);
        if (!permit.IsGranted)
        {
            return -1;
        }

        permit.RecordSuccess();
        return 1;
    }

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
            return _breaker.Execute(static () => 1);
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
