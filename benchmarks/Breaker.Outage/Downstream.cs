using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Breaker.Outage;

/// <summary>
/// The dependency: a Kestrel server on 127.0.0.1 that answers <c>GET /work</c>, and fails in the shape it is told to. For
/// <see cref="OutageShape.Refused"/> it stops listening, and starts again on the same port when healed.
/// </summary>
public sealed class Downstream : IAsyncDisposable
{
    private readonly PerSecond _received;
    private WebApplication? _app;
    private volatile bool _down;
    private OutageShape _shape;
    private int _requests;

    private Downstream(PerSecond received) => _received = received;

    public int Port { get; private set; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public static async Task<Downstream> StartAsync(PerSecond received)
    {
        var downstream = new Downstream(received);
        await downstream.ListenAsync(port: 0);
        return downstream;
    }

    public async Task BreakAsync(OutageShape shape)
    {
        _shape = shape;
        _down = true;
        if (shape == OutageShape.Refused && _app is { } app)
        {
            _app = null;
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }
    }

    public async Task HealAsync()
    {
        _down = false;
        if (_app is null)
        {
            await ListenAsync(Port);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }
    }

    private async Task ListenAsync(int port)
    {
        WebApplication app = Loopback.Build(port);
        app.MapGet("/work", Answer);
        await app.StartAsync();
        Port = Loopback.PortOf(app);
        _app = app;
    }

    private async Task Answer(HttpContext context)
    {
        _received.Add();
        if (!_down)
        {
            await context.Response.WriteAsync("ok");
            return;
        }

        switch (_shape)
        {
            case OutageShape.Hang:
                // Never answers: the caller's timeout ends it, and the aborted connection ends this wait.
                try
                {
                    await Task.Delay(Timeout.Infinite, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                }

                return;
            case OutageShape.Partial when Interlocked.Increment(ref _requests) % 10 >= 3:
                // 3 of every 10 requests fail, spread evenly rather than at random, so every arm sees the same sequence.
                await context.Response.WriteAsync("ok");
                return;
            default:
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
        }
    }
}
