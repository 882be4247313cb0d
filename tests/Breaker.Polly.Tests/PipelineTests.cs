using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using Polly;

namespace Breaker.PollyStrategy.Tests;

/// <summary>A Breaker circuit inside Polly pipelines, on fake time: admission, rejection, probes, outcome predicates, keys.</summary>
public sealed class PipelineTests
{
    private static readonly TimeSpan Break = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly CircuitBreakerRegistry _registry;

    public PipelineTests() => _registry = new CircuitBreakerRegistry(_time);

    [Fact]
    public async Task Failures_open_the_circuit_which_rejects_without_running_the_callback_then_probes_and_closes()
    {
        ResiliencePipeline<int> pipeline = new ResiliencePipelineBuilder<int>()
            .AddBreaker("inventory", Options<int>())
            .Build();
        int runs = 0;

        for (int i = 0; i < 4; i++)
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => pipeline.ExecuteAsync<int>(_ => { runs++; throw new InvalidOperationException("down"); }).AsTask());
        }

        BrokenCircuitException rejection = await Assert.ThrowsAsync<BrokenCircuitException>(() => pipeline.ExecuteAsync(_ => { runs++; return ValueTask.FromResult(1); }).AsTask());
        Assert.Equal("inventory", rejection.CircuitName);
        Assert.Equal(CircuitState.Open, rejection.State);
        Assert.Equal(Break, rejection.RetryAfter);
        Assert.Equal(4, runs);

        _time.Advance(Break);
        Assert.Equal(7, await pipeline.ExecuteAsync(_ => { runs++; return ValueTask.FromResult(7); }));
        Assert.Equal(CircuitState.Closed, Breaker("inventory").State);

        CircuitBreakerMetrics metrics = Breaker("inventory").GetMetrics();
        Assert.Equal(4, metrics.FailedCalls);
        Assert.Equal(1, metrics.RejectedCalls);
        Assert.Equal(1, metrics.CircuitCloses);
        Assert.Equal(5, runs);
    }

    [Fact]
    public async Task A_rejection_is_an_outcome_for_Polly_callers_that_ask_for_outcomes()
    {
        ResiliencePipeline<int> pipeline = new ResiliencePipelineBuilder<int>().AddBreaker("quotes", Options<int>()).Build();
        Breaker("quotes").Isolate();

        ResilienceContext context = ResilienceContextPool.Shared.Get();
        Outcome<int> outcome = await pipeline.ExecuteOutcomeAsync(static (_, _) => ValueTask.FromResult(Outcome.FromResult(1)), context, 0);
        ResilienceContextPool.Shared.Return(context);

        BrokenCircuitException rejection = Assert.IsType<BrokenCircuitException>(outcome.Exception);
        Assert.Equal(CircuitState.Isolated, rejection.State);
        Assert.Null(rejection.RetryAfter);
    }

    [Fact]
    public async Task A_PredicateBuilder_decides_which_results_and_exceptions_are_failures()
    {
        BreakerStrategyOptions<int> options = Options<int>();
        options.ShouldHandle = new PredicateBuilder<int>().HandleResult(r => r < 0).Handle<TimeoutException>();
        ResiliencePipeline<int> pipeline = new ResiliencePipelineBuilder<int>().AddBreaker("prices", options).Build();

        Assert.Equal(-1, await pipeline.ExecuteAsync(static _ => ValueTask.FromResult(-1)));
        await Assert.ThrowsAsync<TimeoutException>(() => pipeline.ExecuteAsync<int>(static _ => throw new TimeoutException()).AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => pipeline.ExecuteAsync<int>(static _ => throw new ArgumentException("not the dependency's fault")).AsTask());
        Assert.Equal(5, await pipeline.ExecuteAsync(static _ => ValueTask.FromResult(5)));

        CircuitBreakerMetrics metrics = Breaker("prices").GetMetrics();
        Assert.Equal(4, metrics.TotalCalls);
        Assert.Equal(2, metrics.FailedCalls);
        Assert.Equal(2, metrics.SuccessfulCalls);
    }

    [Fact]
    public async Task The_failure_kind_follows_the_outcome()
    {
        var kinds = new System.Collections.Generic.List<FailureKind>();
        ResiliencePipeline<int> pipeline = new ResiliencePipelineBuilder<int>()
            .AddBreaker("kinds", Options<int>(minimumThroughput: 100))
            .AddTimeout(TimeSpan.FromSeconds(1))
            .Build();
        Breaker("kinds").CallFailed += (_, e) => kinds.Add(e.Kind);

        await Assert.ThrowsAsync<System.Net.Http.HttpRequestException>(() => pipeline.ExecuteAsync<int>(static _ => throw new System.Net.Http.HttpRequestException("refused")).AsTask());
        await Assert.ThrowsAsync<InvalidOperationException>(() => pipeline.ExecuteAsync<int>(static _ => throw new InvalidOperationException()).AsTask());

        Assert.Equal(new[] { FailureKind.ConnectionError, FailureKind.Exception }, kinds);
    }

    [Fact]
    public async Task A_probe_cancelled_by_its_caller_is_not_a_failure_and_gives_its_slot_back()
    {
        ResiliencePipeline<int> pipeline = new ResiliencePipelineBuilder<int>().AddBreaker("stock", Options<int>(successThreshold: 1)).Build();
        Breaker("stock").StartBreak();
        _time.Advance(Break);

        using var cancel = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pipeline.ExecuteAsync<int>(
            ct =>
            {
                cancel.Cancel();
                ct.ThrowIfCancellationRequested();
                return ValueTask.FromResult(0);
            },
            cancel.Token).AsTask());

        // The only probe slot came back: the next call is admitted as a probe and its success closes the circuit.
        Assert.Equal(CircuitState.HalfOpen, Breaker("stock").State);
        Assert.Equal(3, await pipeline.ExecuteAsync(static _ => ValueTask.FromResult(3)));
        Assert.Equal(CircuitState.Closed, Breaker("stock").State);
        Assert.Equal(0, Breaker("stock").GetMetrics().FailedCalls);
    }

    [Fact]
    public async Task A_cancellation_the_caller_did_not_ask_for_is_judged_by_ShouldHandle()
    {
        ResiliencePipeline<int> pipeline = new ResiliencePipelineBuilder<int>().AddBreaker("cancel", Options<int>()).Build();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pipeline.ExecuteAsync<int>(static _ => throw new OperationCanceledException()).AsTask());

        Assert.Equal(1, Breaker("cancel").GetMetrics().FailedCalls);
    }

    [Fact]
    public async Task A_ShouldHandle_that_throws_gives_the_permit_back_and_says_which_breaker()
    {
        BreakerStrategyOptions<int> options = Options<int>(successThreshold: 1);
        options.ShouldHandle = static _ => throw new FormatException("bad predicate");
        ResiliencePipeline<int> pipeline = new ResiliencePipelineBuilder<int>().AddBreaker("faulty", options).Build();
        Breaker("faulty").StartBreak();
        _time.Advance(Break);

        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => pipeline.ExecuteAsync(static _ => ValueTask.FromResult(1)).AsTask());
        Assert.Contains("'faulty'", error.Message, StringComparison.Ordinal);
        Assert.IsType<FormatException>(error.InnerException);

        // The probe's slot was returned without a verdict: the next call is a probe again, not a rejection.
        error = await Assert.ThrowsAsync<InvalidOperationException>(() => pipeline.ExecuteAsync(static _ => ValueTask.FromResult(1)).AsTask());
        Assert.Equal(CircuitState.HalfOpen, Breaker("faulty").State);
        Assert.Equal(0, Breaker("faulty").GetMetrics().RejectedCalls);
    }

    [Fact]
    public async Task A_slow_async_ShouldHandle_is_awaited_before_the_outcome_is_recorded()
    {
        var gate = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        BreakerStrategyOptions<int> options = Options<int>();
        options.ShouldHandle = async _ => await gate.Task;
        ResiliencePipeline<int> pipeline = new ResiliencePipelineBuilder<int>().AddBreaker("async-predicate", options).Build();

        Task<int> call = pipeline.ExecuteAsync(static _ => ValueTask.FromResult(1)).AsTask();
        Assert.Equal(0, Breaker("async-predicate").GetMetrics().TotalCalls);
        gate.SetResult(true);
        Assert.Equal(1, await call);

        Assert.Equal(1, Breaker("async-predicate").GetMetrics().FailedCalls);
    }

    [Fact]
    public async Task Keyed_calls_get_one_breaker_per_key_from_a_bounded_group()
    {
        var tenant = new ResiliencePropertyKey<string>("tenant");
        BreakerStrategyOptions<int> options = Options<int>();
        options.Key = context => context.Properties.GetValue(tenant, null!);
        ResiliencePipeline<int> pipeline = new ResiliencePipelineBuilder<int>().AddBreaker("tenants", options).Build();

        async Task<Outcome<int>> Call(string? key, bool fail)
        {
            ResilienceContext context = ResilienceContextPool.Shared.Get();
            if (key is not null)
            {
                context.Properties.Set(tenant, key);
            }

            Outcome<int> outcome = await pipeline.ExecuteOutcomeAsync(
                static (_, f) => ValueTask.FromResult(f ? Outcome.FromException<int>(new InvalidOperationException()) : Outcome.FromResult(1)),
                context,
                fail);
            ResilienceContextPool.Shared.Return(context);
            return outcome;
        }

        for (int i = 0; i < 4; i++)
        {
            await Call("acme", fail: true);
        }

        BrokenCircuitException rejection = Assert.IsType<BrokenCircuitException>((await Call("acme", fail: false)).Exception);
        Assert.Equal(1, (await Call("globex", fail: false)).Result);
        Assert.Equal(1, (await Call(null, fail: false)).Result);

        Assert.True(_registry.TryGetGroup("tenants", out CircuitBreakerGroup? group));
        Assert.Equal(2, group.Count);
        Assert.Equal(1, group.SharedCalls);
        Assert.Contains("acme", rejection.CircuitName, StringComparison.Ordinal);
        Assert.Equal(CircuitState.Open, group.GetBreakers().Single(b => b.Name == rejection.CircuitName).State);
    }

    [Fact]
    public async Task The_non_generic_builder_guards_calls_of_any_result_type()
    {
        ResiliencePipeline pipeline = new ResiliencePipelineBuilder()
            .AddBreaker("any", new BreakerStrategyOptions
            {
                Registry = _registry,
                Defaults = o => o.MinimumThroughput = 3,
                ShouldHandle = new PredicateBuilder().HandleResult("bad"),
            })
            .Build();

        Assert.Equal("bad", await pipeline.ExecuteAsync(static _ => ValueTask.FromResult("bad")));
        Assert.Equal(42, await pipeline.ExecuteAsync(static _ => ValueTask.FromResult(42)));
        Assert.Equal(CircuitState.Closed, Breaker("any").State);
        Assert.Equal("bad", await pipeline.ExecuteAsync(static _ => ValueTask.FromResult("bad")));

        await Assert.ThrowsAsync<BrokenCircuitException>(() => pipeline.ExecuteAsync(static _ => ValueTask.FromResult(1)).AsTask());
        Assert.Equal(2, Breaker("any").GetMetrics().FailedCalls);
    }

    [Fact]
    public async Task Configuration_registered_in_the_registry_overrides_the_options_in_code()
    {
        _registry.Configure("configured", o => o.MinimumThroughput = 2);
        ResiliencePipeline<int> pipeline = new ResiliencePipelineBuilder<int>().AddBreaker("configured", Options<int>()).Build();

        for (int i = 0; i < 2; i++)
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => pipeline.ExecuteAsync<int>(static _ => throw new InvalidOperationException()).AsTask());
        }

        Assert.Equal(CircuitState.Open, Breaker("configured").State);
    }

    [Fact]
    public void A_rebuilt_pipeline_finds_the_same_breaker_and_its_state()
    {
        ResiliencePipeline<int> first = new ResiliencePipelineBuilder<int>().AddBreaker("rebuilt", Options<int>()).Build();
        Breaker("rebuilt").Isolate();
        ResiliencePipeline<int> second = new ResiliencePipelineBuilder<int>().AddBreaker("rebuilt", Options<int>()).Build();

        Assert.Throws<BrokenCircuitException>(() => second.Execute(static () => 1));
        Assert.Throws<BrokenCircuitException>(() => first.Execute(static () => 1));
        Assert.Equal(2, Breaker("rebuilt").GetMetrics().RejectedCalls);
    }

    [Fact]
    public void Bad_arguments_are_refused_where_the_pipeline_is_declared()
    {
        var builder = new ResiliencePipelineBuilder<int>();
        Assert.Throws<ArgumentException>(() => builder.AddBreaker(" "));
        Assert.Throws<ArgumentNullException>(() => builder.AddBreaker("x", (BreakerStrategyOptions<int>)null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ResiliencePipelineBuilder<int>()
            .AddBreaker("invalid", new BreakerStrategyOptions<int> { Registry = _registry, Defaults = o => o.FailureRatio = 2 })
            .Build());
    }

    [Fact]
    public void The_closed_path_allocates_nothing()
    {
        ResiliencePipeline<int> pipeline = new ResiliencePipelineBuilder<int>().AddBreaker("allocations", Options<int>()).Build();
        for (int i = 0; i < 100; i++)
        {
            pipeline.Execute(static s => s + 1, i);
        }

        // A round may carry one-off runtime work (the tiered JIT installing call counters allocates a few bytes once), so the
        // claim is that rounds of a thousand calls reach zero: any per-call allocation would show in every round.
        long[] allocated = new long[5];
        int sum = 0;
        for (int round = 0; round < allocated.Length; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 1_000; i++)
            {
                sum += pipeline.Execute(static s => s + 1, i);
            }

            allocated[round] = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Assert.Equal(5 * 500_500, sum);
        Assert.Equal(0, allocated.Min());
        Assert.Equal(5_100, Breaker("allocations").GetMetrics().SuccessfulCalls);
    }

    private BreakerStrategyOptions<T> Options<T>(int minimumThroughput = 4, int successThreshold = 1) => new()
    {
        Registry = _registry,
        Defaults = o =>
        {
            o.MinimumThroughput = minimumThroughput;
            o.SlidingWindowSize = Math.Max(minimumThroughput, 10);
            o.FailureRatio = 0.5;
            o.BreakDuration = Break;
            o.SuccessThreshold = successThreshold;
        },
    };

    private CircuitBreaker Breaker(string name) => _registry.TryGet(name, out CircuitBreaker? breaker) ? breaker : throw new InvalidOperationException($"No breaker '{name}'.");
}
