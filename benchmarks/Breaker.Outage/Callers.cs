using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Breaker.Outage;

/// <summary>How one front instance calls the downstream, in one arm.</summary>
public interface IDownstreamCaller : IDisposable
{
    Task<CallOutcome> CallAsync(CancellationToken cancellationToken);
}

/// <summary>Counts the requests a front sends toward the downstream (attempts: a refused connection is one too).</summary>
public sealed class CountingHandler(PerSecond attempts) : DelegatingHandler(Connections.Handler())
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        attempts.Add();
        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>The socket handler every arm uses toward the downstream.</summary>
public static class Connections
{
    public static SocketsHttpHandler Handler() => new()
    {
        MaxConnectionsPerServer = int.MaxValue,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        ConnectTimeout = TimeSpan.FromSeconds(5),
    };
}

/// <summary>A plain HttpClient whose Timeout is the call timeout: what a service without a breaker does.</summary>
public sealed class NoBreakerCaller(Uri downstream, TimeSpan timeout, PerSecond attempts) : IDownstreamCaller
{
    private readonly HttpClient _http = new(new CountingHandler(attempts)) { BaseAddress = downstream, Timeout = timeout };

    public async Task<CallOutcome> CallAsync(CancellationToken cancellationToken)
    {
        try
        {
            using HttpResponseMessage response = await _http.GetAsync("work", cancellationToken);
            return response.IsSuccessStatusCode ? CallOutcome.Ok : CallOutcome.Failed;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return CallOutcome.Failed;
        }
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>Breaker.Http's handler around the same client; the breaker's timeout replaces HttpClient's.</summary>
public sealed class BreakerCaller : IDownstreamCaller
{
    private readonly HttpClient _http;

    public BreakerCaller(CircuitBreaker breaker, Uri downstream, PerSecond attempts)
    {
        Breaker = breaker;
        _http = new HttpClient(new CircuitBreakerHandler(breaker) { InnerHandler = new CountingHandler(attempts) })
        {
            BaseAddress = downstream,
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        };
    }

    public CircuitBreaker Breaker { get; }

    public async Task<CallOutcome> CallAsync(CancellationToken cancellationToken)
    {
        try
        {
            using HttpResponseMessage response = await _http.GetAsync("work", cancellationToken);
            return response.IsSuccessStatusCode ? CallOutcome.Ok : CallOutcome.Failed;
        }
        catch (BrokenCircuitException)
        {
            return CallOutcome.Rejected;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return CallOutcome.Failed;
        }
    }

    public void Dispose() => _http.Dispose();
}
