using System;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Time.Testing;
using Polly;
using Polly.Retry;

namespace Breaker.PollyStrategy.Tests;

/// <summary>
/// A real HttpClient through Microsoft.Extensions.Http.Resilience's <c>AddResilienceHandler</c>, a retry outside Breaker's
/// strategy, against Kestrel on 127.0.0.1: the server's own counters show which requests were sent.
/// </summary>
public sealed class ResilienceHandlerTests : IAsyncLifetime
{
    private static readonly TimeSpan Break = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new();
    private readonly CircuitBreakerRegistry _registry;
    private Downstream _server = null!;

    public ResilienceHandlerTests() => _registry = new CircuitBreakerRegistry(_time);

    public async Task InitializeAsync() => _server = await Downstream.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_retry_outside_the_breaker_stops_at_the_rejection_and_the_server_sees_no_more_requests()
    {
        await using ServiceProvider services = Services(builder => builder
            .AddRetry(Retry(new HttpRetryStrategyOptions()))
            .AddBreaker("inventory", BreakerOptions()));
        HttpClient client = services.GetRequiredService<IHttpClientFactory>().CreateClient("inventory");

        // Three attempts (one request and two retries), three failures: below the breaker's minimum of four calls.
        using (HttpResponseMessage first = await client.GetAsync("retry/status/500"))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, first.StatusCode);
        }

        Assert.Equal(3, _server.Hits("retry"));

        // The fourth failure opens the circuit; the retry's next attempt is rejected, and HttpRetryStrategyOptions' default
        // predicate (transient HTTP failures) does not retry Breaker's BrokenCircuitException.
        BrokenCircuitException rejection = await Assert.ThrowsAsync<BrokenCircuitException>(() => client.GetAsync("retry/status/500"));
        Assert.Equal("inventory", rejection.CircuitName);
        Assert.Equal(Break, rejection.RetryAfter);
        await Assert.ThrowsAsync<BrokenCircuitException>(() => client.GetAsync("retry/status/200"));
        Assert.Equal(4, _server.Hits("retry"));
        Assert.Equal(2, Breaker("inventory").GetMetrics().RejectedCalls);

        // After the break, one probe reaches the server and closes the circuit.
        _time.Advance(Break);
        using (HttpResponseMessage probe = await client.GetAsync("retry/status/200"))
        {
            Assert.Equal(HttpStatusCode.OK, probe.StatusCode);
        }

        Assert.Equal(5, _server.Hits("retry"));
        Assert.Equal(CircuitState.Closed, Breaker("inventory").State);
    }

    [Fact]
    public async Task A_retry_that_handles_every_exception_retries_rejections_unless_it_excludes_BrokenCircuitException()
    {
        // Polly's RetryStrategyOptions handles every exception but a cancellation by default: each retry meets the rejection again.
        await using ServiceProvider broad = Services(builder => builder
            .AddRetry(Retry(new RetryStrategyOptions<HttpResponseMessage>()))
            .AddBreaker("broad", BreakerOptions()));
        _registry.GetOrAdd("broad").Isolate();
        await Assert.ThrowsAsync<BrokenCircuitException>(() => broad.GetRequiredService<IHttpClientFactory>().CreateClient("inventory").GetAsync("broad/status/200"));
        Assert.Equal(3, Breaker("broad").GetMetrics().RejectedCalls);

        // The recipe (docs/migrating-from-polly.md): leave BrokenCircuitException out of the retry's predicate.
        await using ServiceProvider recipe = Services(builder => builder
            .AddRetry(Retry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<Exception>(static e => e is not BrokenCircuitException and not OperationCanceledException)
                    .HandleResult(static r => (int)r.StatusCode >= 500),
            }))
            .AddBreaker("recipe", BreakerOptions()));
        _registry.GetOrAdd("recipe").Isolate();
        await Assert.ThrowsAsync<BrokenCircuitException>(() => recipe.GetRequiredService<IHttpClientFactory>().CreateClient("inventory").GetAsync("recipe/status/200"));
        Assert.Equal(1, Breaker("recipe").GetMetrics().RejectedCalls);
        Assert.Equal(0, _server.Hits("broad") + _server.Hits("recipe"));
    }

    [Fact]
    public async Task One_breaker_per_host_keeps_a_failing_host_from_breaking_the_healthy_one()
    {
        await using Downstream healthy = await Downstream.StartAsync();
        BreakerStrategyOptions<HttpResponseMessage> options = BreakerOptions();
        options.Key = static context => context.GetRequestMessage()?.RequestUri?.Authority;
        await using ServiceProvider services = Services(builder => builder.AddBreaker("hosts", options));
        HttpClient client = services.GetRequiredService<IHttpClientFactory>().CreateClient("inventory");

        for (int i = 0; i < 4; i++)
        {
            using HttpResponseMessage failed = await client.GetAsync("hosts/status/503");
        }

        await Assert.ThrowsAsync<BrokenCircuitException>(() => client.GetAsync("hosts/status/200"));
        using (HttpResponseMessage ok = await client.GetAsync(new Uri(healthy.BaseAddress, "hosts/status/200")))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        Assert.Equal(4, _server.Hits("hosts"));
        Assert.Equal(1, healthy.Hits("hosts"));
        Assert.True(_registry.TryGetGroup("hosts", out CircuitBreakerGroup? group));
        Assert.Equal(2, group.Count);
    }

    [Fact]
    public async Task A_request_the_caller_cancels_is_not_a_failure()
    {
        // The default predicate handles every exception: only the caller's cancellation is left out.
        await using ServiceProvider services = Services(builder => builder.AddBreaker("cancelled", new BreakerStrategyOptions<HttpResponseMessage>
        {
            Registry = _registry,
            Defaults = static o => o.MinimumThroughput = 1,
        }));
        HttpClient client = services.GetRequiredService<IHttpClientFactory>().CreateClient("inventory");

        using var cancel = new CancellationTokenSource();
        Task<HttpResponseMessage> call = client.GetAsync("cancelled/hang", cancel.Token);
        await _server.HangArrived.WaitAsync(Downstream.Ceiling);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(Downstream.Ceiling));

        CircuitBreakerMetrics metrics = Breaker("cancelled").GetMetrics();
        Assert.Equal(CircuitState.Closed, metrics.State);
        Assert.Equal(0, metrics.FailedCalls);
        Assert.Equal(1, _server.Hits("cancelled"));
    }

    [Fact]
    public async Task The_registry_can_come_from_the_container_the_handler_is_built_in()
    {
        var services = new ServiceCollection();
        services.AddSingleton(_registry);
        services.AddHttpClient("inventory", c => c.BaseAddress = _server.BaseAddress)
            .AddResilienceHandler("pipeline", static (builder, context) => builder.AddBreaker("from-container", new BreakerStrategyOptions<HttpResponseMessage>
            {
                Registry = context.ServiceProvider.GetRequiredService<CircuitBreakerRegistry>(),
            }));
        await using ServiceProvider provider = services.BuildServiceProvider();

        using HttpResponseMessage response = await provider.GetRequiredService<IHttpClientFactory>().CreateClient("inventory").GetAsync("container/status/200");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, Breaker("from-container").GetMetrics().SuccessfulCalls);
    }

    private static TOptions Retry<TOptions>(TOptions options)
        where TOptions : RetryStrategyOptions<HttpResponseMessage>
    {
        options.MaxRetryAttempts = 2;
        options.Delay = TimeSpan.Zero;
        options.BackoffType = DelayBackoffType.Constant;
        options.UseJitter = false;
        return options;
    }

    private BreakerStrategyOptions<HttpResponseMessage> BreakerOptions() => new()
    {
        Registry = _registry,
        ShouldHandle = static args => ValueTask.FromResult(HttpClientResiliencePredicates.IsTransient(args.Outcome)),
        Defaults = static o =>
        {
            o.MinimumThroughput = 4;
            o.SlidingWindowSize = 10;
            o.FailureRatio = 0.5;
            o.BreakDuration = Break;
            o.SuccessThreshold = 1;
        },
    };

    private ServiceProvider Services(Action<ResiliencePipelineBuilder<HttpResponseMessage>> configure)
    {
        var services = new ServiceCollection();
        services.AddHttpClient("inventory", c => c.BaseAddress = _server.BaseAddress).AddResilienceHandler("pipeline", configure);
        return services.BuildServiceProvider();
    }

    private CircuitBreaker Breaker(string name) => _registry.TryGet(name, out CircuitBreaker? breaker) ? breaker : throw new InvalidOperationException($"No breaker '{name}'.");
}
