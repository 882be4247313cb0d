using System;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Breaker.Samples.Console.Infrastructure;

/// <summary>How the <see cref="FlakyPriceServer"/> answers.</summary>
internal enum ServerMode
{
    /// <summary>200 with a price.</summary>
    Healthy,

    /// <summary>500 Internal Server Error.</summary>
    Failing,

    /// <summary>Answers only after two seconds, far past the client's timeout.</summary>
    Slow,

    /// <summary>429 Too Many Requests with <c>Retry-After: 120</c>.</summary>
    RateLimited,
}

/// <summary>A pricing service on 127.0.0.1 (a port the system picks) whose behaviour the demo switches, and which counts the requests that reach it.</summary>
internal sealed class FlakyPriceServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _received;

    private FlakyPriceServer(WebApplication app) => _app = app;

    public ServerMode Mode { get; set; }

    /// <summary>How many requests reached the server.</summary>
    public int Received => Volatile.Read(ref _received);

    /// <summary>The server's address, such as <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<FlakyPriceServer> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var server = new FlakyPriceServer(builder.Build());
        server._app.MapGet("/prices/{sku}", new RequestDelegate(server.HandleAsync));
        await server._app.StartAsync().ConfigureAwait(false);
        string address = server._app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        server.BaseAddress = new Uri(address + "/");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _received);
        switch (Mode)
        {
            case ServerMode.Failing:
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                return;
            case ServerMode.Slow:
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(2), context.RequestAborted).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                break;
            case ServerMode.RateLimited:
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.Response.Headers.RetryAfter = "120";
                return;
        }

        string sku = (string)context.Request.RouteValues["sku"]!;
        decimal price = 10m + sku.Sum(static c => c) % 90;
        await context.Response.WriteAsync(price.ToString("0.00", CultureInfo.InvariantCulture), context.RequestAborted).ConfigureAwait(false);
    }
}
