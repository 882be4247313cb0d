using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Polly.Timeout;

namespace Breaker.Outage;

/// <summary>
/// Polly v8 the way most services get it: <c>AddResilienceHandler</c> from Microsoft.Extensions.Http.Resilience, with its
/// circuit breaker around its timeout (so timeouts count as failures), on an <c>IHttpClientFactory</c> client.
/// </summary>
public sealed class PollyCaller : IDownstreamCaller
{
    private readonly ServiceProvider _services;
    private readonly HttpClient _http;

    public PollyCaller(Uri downstream, TimeSpan timeout, PerSecond attempts)
    {
        var services = new ServiceCollection();
        services.AddHttpClient("downstream", c =>
            {
                c.BaseAddress = downstream;
                c.Timeout = System.Threading.Timeout.InfiniteTimeSpan;
            })
            .ConfigurePrimaryHttpMessageHandler(Connections.Handler)
            .AddResilienceHandler("outage", pipeline => Thresholds.Apply(pipeline, timeout));
        services.AddTransient(_ => new AttemptCounter(attempts));
        services.AddHttpClient("downstream").AddHttpMessageHandler<AttemptCounter>();
        _services = services.BuildServiceProvider();
        _http = _services.GetRequiredService<IHttpClientFactory>().CreateClient("downstream");
    }

    public async Task<CallOutcome> CallAsync(CancellationToken cancellationToken)
    {
        try
        {
            using HttpResponseMessage response = await _http.GetAsync("work", cancellationToken);
            return response.IsSuccessStatusCode ? CallOutcome.Ok : CallOutcome.Failed;
        }
        catch (Exception e) when (Thresholds.IsPollyRejection(e))
        {
            return CallOutcome.Rejected;
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return CallOutcome.Failed;
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _services.Dispose();
    }

    /// <summary>The innermost handler of the factory's chain: counts what leaves the resilience handler.</summary>
    private sealed class AttemptCounter(PerSecond attempts) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            attempts.Add();
            return base.SendAsync(request, cancellationToken);
        }
    }
}
