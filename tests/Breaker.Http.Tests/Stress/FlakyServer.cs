using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Breaker.Http.Tests.Stress;

/// <summary>
/// A real Kestrel server on 127.0.0.1 that answers <c>GET /flaky</c> with 200, 500 or 418 at the rates the test sets, after a
/// short wait so that requests overlap. It counts what it answered and how many requests it held at once.
/// </summary>
internal sealed class FlakyServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _ok;
    private int _failed;
    private int _teapots;
    private int _inFlight;
    private int _maxInFlight;

    private FlakyServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>The share of requests answered 500 (a failure to the breaker).</summary>
    public double FailureRate { get; set; }

    /// <summary>The share of requests answered 418, which the test's classifier refuses to judge (it throws).</summary>
    public double TeapotRate { get; set; }

    /// <summary>How long each request is held before its answer.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromMilliseconds(2);

    public int Ok => Volatile.Read(ref _ok);

    public int Failed => Volatile.Read(ref _failed);

    public int Teapots => Volatile.Read(ref _teapots);

    public int Answered => Ok + Failed + Teapots;

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>The most requests held at once since the last <see cref="ResetMaxInFlight"/>.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public void ResetMaxInFlight() => Volatile.Write(ref _maxInFlight, 0);

    public static async Task<FlakyServer> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        FlakyServer? server = null;
        app.MapGet("/flaky", (CancellationToken aborted) => server!.AnswerAsync(aborted));
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        server = new FlakyServer(app, new Uri(address + "/"));
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<IResult> AnswerAsync(CancellationToken aborted)
    {
        int held = Interlocked.Increment(ref _inFlight);
        int max;
        while (held > (max = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, held, max) != max)
        {
        }

        try
        {
            await Task.Delay(Delay, aborted);
            double roll = Random.Shared.NextDouble();
            if (roll < FailureRate)
            {
                Interlocked.Increment(ref _failed);
                return Results.StatusCode(StatusCodes.Status500InternalServerError);
            }

            if (roll < FailureRate + TeapotRate)
            {
                Interlocked.Increment(ref _teapots);
                return Results.StatusCode(StatusCodes.Status418ImATeapot);
            }

            Interlocked.Increment(ref _ok);
            return Results.Ok();
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
