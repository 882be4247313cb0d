using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
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

namespace Breaker.PollyStrategy.Tests;

/// <summary>
/// A real Kestrel server on 127.0.0.1 playing the dependency. Routes start with a key so that tests count their own
/// requests: <see cref="Hits"/> is what actually arrived.
/// </summary>
public sealed class Downstream : IAsyncDisposable
{
    /// <summary>Bounds a hang in real time; on the expected path a request takes milliseconds.</summary>
    public static readonly TimeSpan Ceiling = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<string, int> _hits = new();
    private readonly TaskCompletionSource _hangArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly WebApplication _app;

    private Downstream(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Completes when a request to <c>/{key}/hang</c> has arrived (it then waits until the client gives up).</summary>
    public Task HangArrived => _hangArrived.Task;

    public static async Task<Downstream> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var server = new Downstream(builder.Build());
        server._app.Urls.Add("http://127.0.0.1:0");
        server._app.MapGet("/{key}/status/{code:int}", (string key, int code) =>
        {
            server.Count(key);
            return Results.StatusCode(code);
        });
        server._app.MapGet("/{key}/hang", async (string key, CancellationToken aborted) =>
        {
            server.Count(key);
            server._hangArrived.TrySetResult();
            await Task.Delay(Timeout.Infinite, aborted);
        });
        await server._app.StartAsync();
        string address = server._app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        server.BaseAddress = new Uri(address + "/");
        return server;
    }

    public int Hits(string key) => _hits.GetValueOrDefault(key);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private void Count(string key) => _hits.AddOrUpdate(key, 1, static (_, n) => n + 1);
}
