using System;
using System.Collections.Generic;
using System.Reflection;
using System.Runtime.Versioning;
using System.Threading;
using System.Threading.Tasks;
using Breaker.NetStandard.Library;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.NetStandard.Tests;

/// <summary>
/// Breaker's netstandard2.0 build and code generated into a netstandard2.0 library (C# 9), run by an app on .NET 10 and,
/// in ./test.sh, on the real .NET 8 runtime: each generated shape opens, rejects, probes half-open and closes on a fake clock.
/// Each test has its own <see cref="CircuitBreakerScope"/>, so its breakers are its own and run on its clock.
/// </summary>
public sealed class NetStandardBuildTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly CircuitBreakerScope _scope;
    private readonly QuoteService _service = new();

    public NetStandardBuildTests() => _scope = new CircuitBreakerScope(_time);

    public void Dispose() => _scope.Dispose();

    [Fact]
    public void The_runtime_and_the_library_are_their_netstandard2_0_builds_on_the_runtime_this_run_targets()
    {
        Assert.Equal(".NETStandard,Version=v2.0", TargetOf(typeof(CircuitBreaker).Assembly));
        Assert.Equal(".NETStandard,Version=v2.0", TargetOf(typeof(CircuitBreakerAttribute).Assembly));
        Assert.Equal(".NETStandard,Version=v2.0", TargetOf(typeof(QuoteService).Assembly));
#if NET10_0_OR_GREATER
        Assert.Equal(10, Environment.Version.Major);
#else
        Assert.Equal(8, Environment.Version.Major);
#endif
    }

    [Fact]
    public void A_plain_method_opens_answers_with_its_fallback_then_probes_half_open_and_closes()
    {
        Assert.Equal(9.5m, _service.Price("ok"));
        _service.Failing.Add("ok");
        Assert.Equal(-1m, _service.Price("ok"));
        Assert.Equal(CircuitState.Open, Breaker("ns-quotes").State);

        int reached = _service.BackendCalls;
        Assert.Equal(-1m, _service.Price("ok"));
        Assert.Equal(reached, _service.BackendCalls);

        // After the break the next call is the half-open probe: it reaches the backend, and its success closes the circuit.
        _time.Advance(TimeSpan.FromSeconds(30));
        _service.Failing.Clear();
        Assert.Equal(9.5m, _service.Price("ok"));
        Assert.Equal(reached + 1, _service.BackendCalls);

        CircuitBreakerMetrics metrics = Breaker("ns-quotes").GetMetrics();
        Assert.Equal(CircuitState.Closed, metrics.State);
        Assert.Equal((1L, 1L, 2L, 1L, 1L), (metrics.FailedCalls, metrics.RejectedCalls, metrics.FallbackCalls, metrics.HalfOpenAttempts, metrics.CircuitCloses));
    }

    [Fact]
    public void A_keyed_method_opens_only_the_failing_keys_breaker_and_closes_it_after_the_break()
    {
        _service.Failing.Add("globex");
        Assert.Equal(-1, _service.Quota("globex"));
        Assert.Equal(-1, _service.Quota("globex"));
        int reached = _service.BackendCalls;

        Assert.Equal(-1, _service.Quota("globex"));
        Assert.Equal(10, _service.Quota("acme"));
        Assert.Equal(reached + 1, _service.BackendCalls);
        Assert.Equal(CircuitState.Open, Breaker("ns-tenants:globex").State);
        Assert.Equal(CircuitState.Closed, Breaker("ns-tenants:acme").State);

        _time.Advance(TimeSpan.FromSeconds(30));
        _service.Failing.Clear();
        Assert.Equal(10, _service.Quota("globex"));
        Assert.Equal(CircuitState.Closed, Breaker("ns-tenants:globex").State);
        Assert.True(_scope.Registry.TryGetGroup("ns-tenants", out CircuitBreakerGroup? group));
        Assert.Equal(2, group.GetBreakers().Count);
    }

    [Fact]
    public async Task An_async_call_times_out_on_the_breakers_clock_and_the_circuit_closes_after_a_probe()
    {
        _service.Pending = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<int> hanging = _service.CountAsync(CancellationToken.None);
        Assert.False(hanging.IsCompleted);

        _time.Advance(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<TimeoutException>(() => hanging);
        Assert.Equal(CircuitState.Open, Breaker("ns-count").State);
        BrokenCircuitException rejected = await Assert.ThrowsAsync<BrokenCircuitException>(() => _service.CountAsync(CancellationToken.None));
        Assert.Equal("ns-count", rejected.CircuitName);
        Assert.Equal(TimeSpan.FromSeconds(10), rejected.RetryAfter);

        _service.Pending = null;
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(7, await _service.CountAsync(CancellationToken.None));
        Assert.Equal(CircuitState.Closed, Breaker("ns-count").State);
    }

    [Fact]
    public async Task An_async_stream_that_breaks_mid_stream_opens_the_circuit_and_a_whole_stream_closes_it()
    {
        _service.Failing.Add("news");
        var read = new List<string>();
        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (string item in _service.ReadAsync("news", CancellationToken.None))
            {
                read.Add(item);
            }
        });
        Assert.Equal(new[] { "news:1" }, read);
        Assert.Equal(CircuitState.Open, Breaker("ns-feed").State);

        await using (IAsyncEnumerator<string> rejected = _service.ReadAsync("news", CancellationToken.None).GetAsyncEnumerator())
        {
            await Assert.ThrowsAsync<BrokenCircuitException>(async () => await rejected.MoveNextAsync());
        }

        _time.Advance(TimeSpan.FromSeconds(5));
        _service.Failing.Clear();
        read.Clear();
        await foreach (string item in _service.ReadAsync("news", CancellationToken.None))
        {
            read.Add(item);
        }

        Assert.Equal(new[] { "news:1", "news:2" }, read);
        Assert.Equal(CircuitState.Closed, Breaker("ns-feed").State);
        Assert.Equal(2, _service.BackendCalls);
    }

    private static string? TargetOf(Assembly assembly) => assembly.GetCustomAttribute<TargetFrameworkAttribute>()?.FrameworkName;

    private CircuitBreaker Breaker(string name)
    {
        Assert.True(_scope.Registry.TryGet(name, out CircuitBreaker? breaker), "no breaker named " + name);
        return breaker;
    }
}
