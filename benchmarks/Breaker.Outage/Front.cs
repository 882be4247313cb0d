using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Breaker.Outage;

/// <summary>
/// The service under load: a Kestrel server on 127.0.0.1 whose <c>GET /api</c> calls the downstream through its arm's
/// caller and says, in the <c>x-outcome</c> header, how the call went (200 for an answer or a fallback, 502 for a failure,
/// 503 for a rejection).
/// </summary>
public sealed class Front : IAsyncDisposable
{
    public const string OutcomeHeader = "x-outcome";

    private readonly WebApplication _app;
    private readonly IDownstreamCaller _caller;

    private Front(WebApplication app, IDownstreamCaller caller)
    {
        _app = app;
        _caller = caller;
        BaseAddress = new Uri($"http://127.0.0.1:{Loopback.PortOf(app)}/");
    }

    public Uri BaseAddress { get; }

    public static async Task<Front> StartAsync(IDownstreamCaller caller)
    {
        WebApplication app = Loopback.Build(0);
        app.MapGet("/api", async (HttpContext context) =>
        {
            CallOutcome outcome = await caller.CallAsync(context.RequestAborted);
            context.Response.Headers[OutcomeHeader] = Names.OfOutcome(outcome);
            context.Response.StatusCode = outcome switch
            {
                CallOutcome.Ok or CallOutcome.FallbackAfterFailure or CallOutcome.FallbackAfterRejection => 200,
                CallOutcome.Rejected => 503,
                _ => 502,
            };
        });
        await app.StartAsync();
        return new Front(app, caller);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        _caller.Dispose();
    }
}
