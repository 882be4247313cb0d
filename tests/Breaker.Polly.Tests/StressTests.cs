using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using Polly;

namespace Breaker.PollyStrategy.Tests;

/// <summary>Attacks on the strategy: many threads across every outcome, keys from untrusted input, a key selector that throws.</summary>
public sealed class StressTests
{
    private static readonly TimeSpan Break = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new();
    private readonly CircuitBreakerRegistry _registry;

    public StressTests() => _registry = new CircuitBreakerRegistry(_time);

    [Fact]
    public async Task Threads_mixing_every_outcome_through_open_half_open_and_closed_leak_no_permit()
    {
        var cancelled = new ResiliencePropertyKey<bool>("cancelled");
        ResiliencePipeline<int> pipeline = new ResiliencePipelineBuilder<int>()
            .AddBreaker("stress", new BreakerStrategyOptions<int>
            {
                Registry = _registry,
                Defaults = static o =>
                {
                    o.MinimumThroughput = 5;
                    o.SlidingWindowSize = 20;
                    o.BreakDuration = Break;
                    o.SuccessThreshold = 2;
                },
                // A result of 3 makes the predicate throw: that path must give the permit back too.
                ShouldHandle = static args => args.Outcome.Result == 3 ? throw new FormatException() : new ValueTask<bool>(args.Outcome.Exception is not null || args.Outcome.Result < 0),
            })
            .Build();
        int attempts = 0;
        int runs = 0;

        for (int round = 0; round < 10; round++)
        {
            await Parallel.ForAsync(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
            {
                Interlocked.Increment(ref attempts);
                using var caller = new CancellationTokenSource();
                ResilienceContext context = ResilienceContextPool.Shared.Get(caller.Token);
                await pipeline.ExecuteOutcomeAsync(
                    (ctx, kind) =>
                    {
                        Interlocked.Increment(ref runs);
                        switch (kind)
                        {
                            case 0:
                                caller.Cancel();
                                return ValueTask.FromResult(Outcome.FromException<int>(new OperationCanceledException(ctx.CancellationToken)));
                            case 1:
                                return ValueTask.FromResult(Outcome.FromException<int>(new InvalidOperationException()));
                            case 2:
                                return ValueTask.FromResult(Outcome.FromResult(-1));
                            default:
                                return ValueTask.FromResult(Outcome.FromResult(kind));
                        }
                    },
                    context,
                    (i * 7 + round) % 6);
                ResilienceContextPool.Shared.Return(context);
            });
            _time.Advance(Break);
        }

        Assert.True(_registry.TryGet("stress", out CircuitBreaker? breaker));
        CircuitBreakerMetrics metrics = breaker.GetMetrics();

        // Every call either ran or was rejected, and a rejected one never ran.
        Assert.Equal(attempts, runs + (int)metrics.RejectedCalls);
        Assert.True(metrics.CircuitOpens > 0, "The stress never opened the circuit, so it tested nothing.");

        // No permit was kept: after a break, successes are admitted one after another and close the circuit.
        _time.Advance(Break);
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(4, await pipeline.ExecuteAsync(static _ => ValueTask.FromResult(4)));
        }

        Assert.Equal(CircuitState.Closed, breaker.State);
    }

    [Fact]
    public async Task Keys_from_request_input_cannot_grow_the_group_past_its_bound()
    {
        var tenant = new ResiliencePropertyKey<string>("tenant");
        ResiliencePipeline<int> pipeline = new ResiliencePipelineBuilder<int>()
            .AddBreaker("tenants", new BreakerStrategyOptions<int>
            {
                Registry = _registry,
                Defaults = static o => o.MaxKeys = 3,
                Key = context => context.Properties.GetValue(tenant, null!),
            })
            .Build();

        for (int i = 0; i < 50; i++)
        {
            ResilienceContext context = ResilienceContextPool.Shared.Get();
            context.Properties.Set(tenant, "tenant-" + i);
            Outcome<int> outcome = await pipeline.ExecuteOutcomeAsync(static (_, n) => ValueTask.FromResult(Outcome.FromResult(n)), context, i);
            ResilienceContextPool.Shared.Return(context);
            Assert.Equal(i, outcome.Result);
        }

        Assert.True(_registry.TryGetGroup("tenants", out CircuitBreakerGroup? group));
        Assert.True(group.Count <= 3, $"{group.Count} keys in a group of at most 3.");
    }

    [Fact]
    public async Task A_key_selector_that_throws_fails_the_call_before_any_breaker_counts_it()
    {
        ResiliencePipeline<int> pipeline = new ResiliencePipelineBuilder<int>()
            .AddBreaker("bad-keys", new BreakerStrategyOptions<int> { Registry = _registry, Key = static _ => throw new FormatException("bad key") })
            .Build();
        int runs = 0;

        await Assert.ThrowsAsync<FormatException>(() => pipeline.ExecuteAsync(_ => { runs++; return ValueTask.FromResult(1); }).AsTask());

        Assert.Equal(0, runs);
        Assert.True(_registry.TryGetGroup("bad-keys", out CircuitBreakerGroup? group));
        Assert.Equal(0, group.Count);
        Assert.Null(group.SharedBreaker);
    }
}
