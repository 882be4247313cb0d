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

    /// <summary>
    /// The coordinators' (and connections') limit for one exchange with Redis: real time, so it only bounds a hung exchange.
    /// Any tighter, and a round on a busy machine could miss a healthy Redis, which the tests would take for a verdict.
    /// </summary>
    public static readonly TimeSpan OperationTimeout = TimeSpan.FromSeconds(5);

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

    /// <summary>The instances' coordinators (none when the fleet is local-only).</summary>
    public IReadOnlyList<RedisFleetCoordinator> Coordinators => Instances.Where(static i => i.Coordinator is not null).Select(static i => i.Coordinator!).ToArray();

    public static void BreakerDefaults(CircuitBreakerOptions o)
    {
        o.FailureRatio = 0.5;
        o.MinimumThroughput = MinimumThroughput;
        o.SlidingWindowSize = 20;
        o.BreakDuration = BreakDuration;
        o.SuccessThreshold = SuccessThreshold;
    }

    /// <summary>Starts <paramref name="count"/> instances and waits until they coordinate; with <paramref name="redis"/> null they are plain local breakers.</summary>
    public static async Task<TestFleet> StartAsync(int count, Dependency dependency, RedisServer? redis, Action<RedisCoordinationOptions>? configure = null)
    {
        TestFleet fleet = await CreateAsync(count, dependency, redis, configure);
        if (fleet.Coordinated)
        {
            foreach (RedisFleetCoordinator coordinator in fleet.Coordinators)
            {
                coordinator.Start();
            }

            await PublishLoops.UntilCoordinatingAsync(fleet.Time, PublishInterval, fleet.Coordinators);
        }

        return fleet;
    }

    /// <summary>Creates the instances <see cref="StartAsync"/> starts, with their coordinators not started yet.</summary>
    public static async Task<TestFleet> CreateAsync(int count, Dependency dependency, RedisServer? redis, Action<RedisCoordinationOptions>? configure = null)
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
                    OperationTimeout = OperationTimeout,
                };
                configure?.Invoke(options);
                coordinator = new RedisFleetCoordinator(registry, ObservedConnection.Wrap(connection, out observed), options, log);
            }

            instances.Add(new FleetInstance(name, registry, http, dependency.Address, connection, observed, coordinator));
        }

        return new TestFleet(time, http, instances, log);
    }

    public static Task<ConnectionMultiplexer> ConnectAsync(RedisServer redis) =>
        ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions
        {
            EndPoints = { { "127.0.0.1", redis.Port } },
            AbortOnConnectFail = false,
            ConnectTimeout = 2000,
            AsyncTimeout = (int)OperationTimeout.TotalMilliseconds,
            SyncTimeout = (int)OperationTimeout.TotalMilliseconds,
            ReconnectRetryPolicy = new LinearRetry(100),
            HeartbeatInterval = TimeSpan.FromMilliseconds(200),
        });

    /// <summary>Moves the clock one publish interval and waits until every instance has finished a publish round.</summary>
    public async Task TickAsync()
    {
        if (Coordinated)
        {
            await PublishLoops.TickAsync(Time, PublishInterval, Coordinators);
        }
    }

    /// <summary>
    /// Moves the clock by <paramref name="step"/>; in a coordinated fleet, also waits until every loop has finished the round
    /// that fired, so that no round runs behind the test's back.
    /// </summary>
    public async Task AdvanceAsync(TimeSpan step)
    {
        if (Coordinated)
        {
            await PublishLoops.TickAsync(Time, step, Coordinators);
        }
        else
        {
            Time.Advance(step);
        }
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
        await AdvanceAsync(BreakDuration);
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
