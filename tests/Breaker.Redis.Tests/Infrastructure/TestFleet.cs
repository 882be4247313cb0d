using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace Breaker.Redis.Tests.Infrastructure;

/// <summary>
/// Several instances of one service calling one dependency. They share a fake clock (their breakers and their publish
/// loops run on it), so a test moves time and steps the loops with <see cref="TickAsync"/> instead of sleeping.
/// </summary>
public sealed class TestFleet : IAsyncDisposable
{
    public const string BreakerName = "quotes";
    public const int MinimumThroughput = 10;
    public const int SuccessThreshold = 3;
    public static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan PublishInterval = TimeSpan.FromSeconds(1);

    private readonly HttpClient _http;


    private TestFleet(FakeTimeProvider time, HttpClient http, IReadOnlyList<FleetInstance> instances, ListLogger log)
    {
        Log = log;
        Time = time;
        _http = http;
        Instances = instances;
    }

    public FakeTimeProvider Time { get; }

    /// <summary>What the fleet's coordinators logged.</summary>
    public ListLogger Log { get; }

    public IReadOnlyList<FleetInstance> Instances { get; }

    public bool Coordinated => Instances.Any(static i => i.Coordinator is not null);

    public static void BreakerDefaults(CircuitBreakerOptions o)
    {
        o.FailureRatio = 0.5;
        o.MinimumThroughput = MinimumThroughput;
        o.SlidingWindowSize = 20;
        o.BreakDuration = BreakDuration;
        o.SuccessThreshold = SuccessThreshold;
    }

    /// <summary>Starts <paramref name="count"/> instances; with <paramref name="redis"/> null they are plain local breakers.</summary>
    public static async Task<TestFleet> StartAsync(int count, Dependency dependency, RedisServer? redis, Action<RedisCoordinationOptions>? configure = null)
    {
        var time = new FakeTimeProvider();
        var http = new HttpClient();
        string prefix = "test-" + Guid.NewGuid().ToString("N")[..12];
        var instances = new List<FleetInstance>();
        var log = new ListLogger();
        for (int i = 0; i < count; i++)
        {
            var registry = new CircuitBreakerRegistry(time);
            string name = $"instance-{i}";
            ConnectionMultiplexer? connection = null;
            ObservedConnection? observed = null;
            RedisFleetCoordinator? coordinator = null;
            if (redis is not null)
            {
                connection = await ConnectAsync(redis);
                var options = new RedisCoordinationOptions
                {
                    KeyPrefix = prefix,
                    InstanceId = name,
                    PublishInterval = PublishInterval,
                    ProbeLeaseDuration = TimeSpan.FromSeconds(5),
                    OperationTimeout = TimeSpan.FromSeconds(1),
                };
                configure?.Invoke(options);
                coordinator = new RedisFleetCoordinator(registry, ObservedConnection.Wrap(connection, out observed), options, log);
            }

            var instance = new FleetInstance(name, registry, http, dependency.Address, connection, observed, coordinator);
            coordinator?.Start();
            instances.Add(instance);
        }

        var fleet = new TestFleet(time, http, instances, log);
        if (fleet.Coordinated)
        {
            await Poll.UntilAsync(() => instances.All(static i => i.Coordinator!.IsCoordinating), "every instance reached Redis");
        }

        return fleet;
    }

    public static Task<ConnectionMultiplexer> ConnectAsync(RedisServer redis) =>
        ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions
        {
            EndPoints = { { "127.0.0.1", redis.Port } },
            AbortOnConnectFail = false,
            ConnectTimeout = 2000,
            AsyncTimeout = 2000,
            SyncTimeout = 2000,
            ReconnectRetryPolicy = new LinearRetry(100),
            HeartbeatInterval = TimeSpan.FromMilliseconds(200),
        });

    /// <summary>Moves the clock one publish interval and waits until every instance has finished a publish round.</summary>
    public async Task TickAsync()
    {
        if (!Coordinated)
        {
            return;
        }

        long[] before = Instances.Select(static i => i.Coordinator!.Ticks).ToArray();
        Time.Advance(PublishInterval);
        await Poll.UntilAsync(() => Instances.Select((i, n) => i.Coordinator!.Ticks > before[n]).All(static done => done), "every instance finished a publish round");
    }

    /// <summary>Each chosen instance makes one call, then every loop runs two rounds, so whatever the fleet decided from these calls has reached every instance.</summary>
    public async Task RoundAsync(Func<FleetInstance, bool>? who = null)
    {
        foreach (FleetInstance instance in Instances.Where(who ?? (static _ => true)))
        {
            await instance.CallAsync();
        }

        await TickAsync();
        await TickAsync();
    }

    /// <summary>Runs rounds until every breaker is open; returns how many rounds it took.</summary>
    public async Task<int> RunUntilAllOpenAsync(int maxRounds = 40)
    {
        for (int round = 1; round <= maxRounds; round++)
        {
            await RoundAsync(static i => i.Breaker.State == CircuitState.Closed);
            if (Instances.All(static i => i.Breaker.State == CircuitState.Open))
            {
                return round;
            }
        }

        Assert.Fail($"The breakers were not all open after {maxRounds} rounds.");
        return maxRounds;
    }

    /// <summary>
    /// Opens every breaker on a failing dependency, heals it, ends the break, and returns how many requests reached the
    /// dependency until every breaker was closed again. Only instances whose breaker is not closed call, so each is a probe.
    /// </summary>
    public async Task<long> ProbesUntilAllClosedAsync(Dependency dependency)
    {
        dependency.Failing = true;
        await RunUntilAllOpenAsync();
        dependency.Failing = false;
        dependency.ResetCount();
        Time.Advance(BreakDuration);
        for (int round = 0; Instances.Any(static i => i.Breaker.State != CircuitState.Closed); round++)
        {
            Assert.True(round < 40, "the breakers did not all close");
            await RoundAsync(static i => i.Breaker.State != CircuitState.Closed);
        }

        return dependency.Requests;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (FleetInstance instance in Instances)
        {
            await instance.DisposeAsync();
        }

        _http.Dispose();
    }
}
