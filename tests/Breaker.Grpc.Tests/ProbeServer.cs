using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Breaker.Grpc.Tests;

/// <summary>
/// A real gRPC server (Grpc.AspNetCore on Kestrel, 127.0.0.1, HTTP/2) that plays the downstream service. Every call carries
/// its test's key in the <c>x-key</c> header, so tests sharing the server count their own calls: <see cref="Arrivals"/> is
/// what actually reached the server.
/// </summary>
public sealed class ProbeServer : IAsyncLifetime
{
    private readonly Socket _refusing = Bound();
    private WebApplication? _app;

    /// <summary>How long a test waits in real time for the server: it only bounds a hang (the expected path takes milliseconds).</summary>
    public static readonly TimeSpan Ceiling = TimeSpan.FromSeconds(60);

    public Uri Address { get; private set; } = null!;

    /// <summary>A port on 127.0.0.1 where nothing listens (bound, not listening, while the fixture lives): calls to it are refused.</summary>
    public Uri RefusingAddress => new($"http://127.0.0.1:{((IPEndPoint)_refusing.LocalEndPoint!).Port}");

    internal CallCounter Counter { get; } = new();

    /// <summary>How many calls for <paramref name="key"/> reached the server.</summary>
    public int Arrivals(string key) => Counter.Arrivals(key);

    /// <summary>Completes when a call for <paramref name="key"/> has reached the server.</summary>
    public Task Arrived(string key) => Counter.Arrived(key).WaitAsync(Ceiling);

    /// <summary>A client of this server through <paramref name="interceptor"/>, on its own channel.</summary>
    public Probe.ProbeClient Client(Interceptor interceptor, Uri? address = null) =>
        new(GrpcChannel.ForAddress(address ?? Address).Intercept(interceptor));

    public async Task InitializeAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(Counter);
        _app = builder.Build();
        _app.MapGrpcService<ProbeService>();
        await _app.StartAsync();
        string address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Address = new Uri(address);
    }

    public async Task DisposeAsync()
    {
        _refusing.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private static Socket Bound()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }
}

/// <summary>The server's own count of the calls that reached it, per key.</summary>
internal sealed class CallCounter
{
    private readonly ConcurrentDictionary<string, int> _arrivals = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _arrived = new();

    public int Arrivals(string key) => _arrivals.GetValueOrDefault(key);

    public Task Arrived(string key) => Signal(key).Task;

    public void Count(string key)
    {
        _arrivals.AddOrUpdate(key, 1, static (_, n) => n + 1);
        Signal(key).TrySetResult();
    }

    private TaskCompletionSource Signal(string key) =>
        _arrived.GetOrAdd(key, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
