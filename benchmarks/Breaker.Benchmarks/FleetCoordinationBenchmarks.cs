using System;
using System.Diagnostics;
using System.Threading;
using BenchmarkDotNet.Attributes;
using StackExchange.Redis;

namespace Breaker.Benchmarks;

/// <summary>
/// One call through a closed circuit whose registry is coordinated through Redis (the publish loop running every 100 ms
/// beside the calls) against the same call with no coordination. Needs a Redis at BREAKER_REDIS (default 127.0.0.1:6379):
/// <c>redis-server --port 6379 --bind 127.0.0.1 --save "" --appendonly no</c>.
/// </summary>
public class FleetCoordinationBenchmarks
{
    private readonly GuardedService _service = new();
    private ConnectionMultiplexer? _connection;
    private RedisFleetCoordinator? _coordinator;
    private CircuitBreaker _breaker = null!;

    [Params(false, true)]
    public bool Coordinated { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var registry = new CircuitBreakerRegistry();
        _breaker = registry.GetOrAdd("fleet-closed", static o =>
        {
            o.FailureRatio = BenchmarkSettings.FailureRatio;
            o.MinimumThroughput = BenchmarkSettings.MinimumThroughput;
            o.SamplingDuration = TimeSpan.FromMilliseconds(BenchmarkSettings.SamplingDurationMs);
            o.BreakDuration = TimeSpan.FromMilliseconds(BenchmarkSettings.BreakDurationMs);
        });
        if (!Coordinated)
        {
            return;
        }

        string endpoint = Environment.GetEnvironmentVariable("BREAKER_REDIS") ?? "127.0.0.1:6379";
        _connection = ConnectionMultiplexer.Connect($"{endpoint},abortConnect=false");
        _coordinator = new RedisFleetCoordinator(registry, _connection, new RedisCoordinationOptions
        {
            KeyPrefix = "breaker-benchmarks",
            PublishInterval = TimeSpan.FromMilliseconds(100),
        });
        _coordinator.Start();
        var waited = Stopwatch.StartNew();
        while (!_coordinator.IsCoordinating)
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new InvalidOperationException(
                    $"No Redis answered at {endpoint}. Start one (redis-server --port 6379 --bind 127.0.0.1 --save \"\" --appendonly no) or set BREAKER_REDIS.");
            }

            Thread.Sleep(50);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _coordinator?.StopAsync().GetAwaiter().GetResult();
        _connection?.Dispose();
    }

    [Benchmark]
    public int Breaker_Execute() => _breaker.Execute(static s => s.ComputeDirect(1), _service);
}
