using System;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Breaker.Benchmarks.Grpc;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Breaker.Benchmarks;

/// <summary>
/// One gRPC unary call on loopback (Kestrel, HTTP/2, 127.0.0.1, in this process) through <see cref="CircuitBreakerInterceptor"/>
/// against the same call with no interceptor: what the breaker adds to a real call, network stack included.
/// </summary>
[MemoryDiagnoser]
public class GrpcUnaryCallBenchmarks
{
    private static readonly PingRequest Request = new() { Value = 1 };
    private WebApplication? _server;
    private GrpcChannel? _channel;
    private Pinger.PingerClient? _direct;
    private Pinger.PingerClient? _guarded;

    [GlobalSetup]
    public async Task StartServer()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        _server = builder.Build();
        _server.MapGrpcService<PingService>();
        await _server.StartAsync();
        var address = new Uri(_server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());

        // One channel (one HTTP/2 connection) for both clients, so the only difference is the interceptor.
        _channel = GrpcChannel.ForAddress(address);
        var breaker = new CircuitBreaker("grpc-benchmark", BenchmarkSettings.BreakerOptions());
        _direct = new Pinger.PingerClient(_channel);
        _guarded = new Pinger.PingerClient(_channel.Intercept(new CircuitBreakerInterceptor(breaker)));
        await _direct.PingAsync(Request);
        await _guarded.PingAsync(Request);
    }

    [GlobalCleanup]
    public async Task StopServer()
    {
        _channel?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Benchmark(Baseline = true, Description = "gRPC unary call, no interceptor")]
    public async Task<int> NoInterceptor() => (await _direct!.PingAsync(Request)).Value;

    [Benchmark(Description = "gRPC unary call through CircuitBreakerInterceptor")]
    public async Task<int> ThroughInterceptor() => (await _guarded!.PingAsync(Request)).Value;

    private sealed class PingService : Pinger.PingerBase
    {
        public override Task<PingReply> Ping(PingRequest request, ServerCallContext context) => Task.FromResult(new PingReply { Value = request.Value });
    }
}
