using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Breaker.Http.Tests;

/// <summary>
/// A real Kestrel server on 127.0.0.1 that plays a failing downstream service. Every route starts with a key, so tests
/// sharing the server count their own requests: <see cref="Hits"/> is what actually arrived.
/// </summary>
public sealed class FaultServer : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, int> _hits = new();
    private readonly ConcurrentDictionary<string, Hang> _hangs = new();
    private readonly Socket _refusing = Bound();
    private WebApplication? _app;

    /// <summary>
    /// How long a test waits in real time for something the server or a call does (a request arriving, a call ending): it only
    /// bounds a hang, since on the expected path this takes milliseconds even on a busy machine.
    /// </summary>
    public static readonly TimeSpan Ceiling = TimeSpan.FromSeconds(60);

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>How many requests for <paramref name="key"/> reached the server.</summary>
    public int Hits(string key) => _hits.GetValueOrDefault(key);

    /// <summary>Makes <c>/{key}/hang</c> wait until the test releases it; tells the test when the request has arrived.</summary>
    public Hang HangFor(string key) => _hangs.GetOrAdd(key, static _ => new Hang());

    /// <summary>
    /// A port on 127.0.0.1 where nothing listens: a connection to it is refused. The port stays bound (without listening)
    /// while the fixture lives, so no other process on the machine can start listening on it halfway through a test.
    /// </summary>
    public int RefusingPort => ((IPEndPoint)_refusing.LocalEndPoint!).Port;

    public async Task InitializeAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Urls.Add("http://127.0.0.1:0");

        _app.MapGet("/{key}/status/{code:int}", (string key, int code) =>
        {
            Count(key);
            return Results.StatusCode(code);
        });
        _app.MapGet("/{key}/retry-after/{code:int}", (string key, int code, HttpContext context) =>
        {
            // Each "value" in the query becomes one Retry-After header line ("repeat" times), sent as written; "date" replaces
            // Kestrel's Date.
            Count(key);
            int repeat = int.TryParse(context.Request.Query["repeat"], out int times) ? times : 1;
            foreach (string? value in context.Request.Query["value"])
            {
                for (int i = 0; i < repeat; i++)
                {
                    context.Response.Headers.Append("Retry-After", value);
                }
            }

            if (context.Request.Query.TryGetValue("date", out Microsoft.Extensions.Primitives.StringValues date))
            {
                context.Response.Headers.Date = date;
            }

            context.Response.StatusCode = code;
            return Task.CompletedTask;
        });
        _app.MapGet("/{key}/hang", async (string key, CancellationToken aborted) =>
        {
            Count(key);
            Hang hang = HangFor(key);
            hang.Arrived.TrySetResult();
            await hang.Release.Task.WaitAsync(aborted);
            return Results.Ok();
        });
        _app.MapGet("/{key}/items/{id:int}", (string key, int id) =>
        {
            Count(key);
            return Results.Json(new Item(id, $"item {id}"), TestJson.Default.Item);
        });
        _app.MapPost("/{key}/items", async (string key, HttpRequest request) =>
        {
            Count(key);
            Item posted = (await request.ReadFromJsonAsync(TestJson.Default.Item))!;
            return Results.Json(posted with { Id = 42 }, TestJson.Default.Item, statusCode: StatusCodes.Status201Created);
        });
        _app.MapPut("/{key}/items/{id:int}", async (string key, int id, HttpRequest request) =>
        {
            Count(key);
            Item put = (await request.ReadFromJsonAsync(TestJson.Default.Item))!;
            return Results.Json(put with { Id = id, Name = put.Name + " (updated)" }, TestJson.Default.Item);
        });
        _app.MapDelete("/{key}/items/{id:int}", (string key, int id) =>
        {
            Count(key);
            return id == 0 ? Results.NoContent() : Results.Json(new Item(id, "deleted"), TestJson.Default.Item);
        });

        await _app.StartAsync();
        string address = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        BaseAddress = new Uri(address + "/");
    }

    public async Task DisposeAsync()
    {
        foreach (Hang hang in _hangs.Values)
        {
            hang.Release.TrySetResult();
        }

        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _refusing.Dispose();
    }

    private static Socket Bound()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private void Count(string key) => _hits.AddOrUpdate(key, 1, static (_, n) => n + 1);

    public sealed class Hang
    {
        public TaskCompletionSource Arrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
