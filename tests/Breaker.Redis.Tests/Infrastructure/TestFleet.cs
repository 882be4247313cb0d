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

    /// <summary>A signing key for fleets that sign their records.</summary>
    public const string SigningKey = "0123456789abcdef0123456789abcdef-fleet";
    public static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan PublishInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The coordinators' (and connections') limit for one exchange with Redis: real time, so it only bounds a hung exchange.
    /// Any tighter, and a round on a busy machine could miss a healthy Redis, which the tests would take for a verdict.
    /// </summary>
    public static readonly TimeSpan OperationTimeout = TimeSpan.FromSeconds(5);

    private readonly HttpClient _http;
    private readonly List<FleetInstance> _instances;
    private readonly Dependency _dependency;
    private readonly RedisServer? _redis;
    private readonly Action<int, RedisCoordinationOptions>? _configure;
    private readonly Func<int, TimeSpan>? _clockOffset;
    private ConnectionMultiplexer? _control;
    private (string User, string Password)? _redisUser;
    private Action<int, CircuitBreakerOptions>? _breakerOptions;

    private TestFleet(FakeTimeProvider time, HttpClient http, string prefix, Dependency dependency, RedisServer? redis, Action<int, RedisCoordinationOptions>? configure, Func<int, TimeSpan>? clockOffset)
    {
        Log = new ListLogger();
        Time = time;
        Prefix = prefix;
        _http = http;
        _instances = [];
        _dependency = dependency;
        _redis = redis;
        _configure = configure;
        _clockOffset = clockOffset;
    }

    public FakeTimeProvider Time { get; }

    /// <summary>The application's key prefix in Redis.</summary>
    public string Prefix { get; }

    /// <summary>What the fleet's coordinators logged.</summary>
    public ListLogger Log { get; }

    public IReadOnlyList<FleetInstance> Instances => _instances;

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

        // MaxBreakDuration keeps the library's default (30 min): what the forgery and chaos tests measure is what a fleet
        // with default options gets.
    }

    /// <summary>Starts <paramref name="count"/> instances; with <paramref name="redis"/> null they are plain local breakers.</summary>
    public static Task<TestFleet> StartAsync(int count, Dependency dependency, RedisServer? redis, Action<RedisCoordinationOptions>? configure = null) =>
        StartAsync(count, dependency, redis, configure is null ? null : (_, o) => configure(o), clockOffset: null);

    /// <summary>
    /// Starts <paramref name="count"/> instances, each with options set by <paramref name="configure"/> (given the instance's
    /// index) and a clock off by <paramref name="clockOffset"/> (given the index; none when null), under
    /// <paramref name="prefix"/> (a new one when empty), connecting as <paramref name="redisUser"/> (the default user when null),
    /// each breaker configured by <paramref name="breakerOptions"/> (given the index; also for instances that join later)
    /// on top of <see cref="BreakerDefaults"/>.
    /// </summary>
    public static async Task<TestFleet> StartAsync(
        int count,
        Dependency dependency,
        RedisServer? redis,
        Action<int, RedisCoordinationOptions>? configure,
        Func<int, TimeSpan>? clockOffset,
        string prefix = "",
        (string User, string Password)? redisUser = null,
        Action<int, CircuitBreakerOptions>? breakerOptions = null)
    {
        var fleet = new TestFleet(new FakeTimeProvider(), new HttpClient(), prefix.Length > 0 ? prefix : "test-" + Guid.NewGuid().ToString("N")[..12], dependency, redis, configure, clockOffset)
        {
            _redisUser = redisUser,
            _breakerOptions = breakerOptions,
        };
        for (int i = 0; i < count; i++)
        {
            await fleet.StartInstanceAsync();
        }

        if (fleet.Coordinated)
        {
            await fleet.WaitUntilEveryInstanceCoordinatesAsync();
        }

        return fleet;
    }

    /// <summary>Creates <paramref name="count"/> instances with their coordinators not started yet (a test starts them).</summary>
    public static async Task<TestFleet> CreateAsync(int count, Dependency dependency, RedisServer? redis)
    {
        var fleet = new TestFleet(new FakeTimeProvider(), new HttpClient(), "test-" + Guid.NewGuid().ToString("N")[..12], dependency, redis, configure: null, clockOffset: null);
        for (int i = 0; i < count; i++)
        {
            await fleet.StartInstanceAsync(startCoordinator: false);
        }

        return fleet;
    }

    /// <summary>Starts one more instance of the same application (an instance that joins later) and waits until it reached Redis.</summary>
    public async Task<FleetInstance> JoinAsync()
    {
        FleetInstance instance = await StartInstanceAsync();
        await WaitUntilEveryInstanceCoordinatesAsync();
        return instance;
    }

    /// <summary>
    /// Waits until every instance coordinates (at start, or after Redis came back). A loop's first round runs by itself but
    /// may miss Redis (the connection is still being made, or on a busy machine the exchange outlives its real-time
    /// timeout); then the loops are stepped one publish interval at a time, as the next rounds would on a real clock. A
    /// generous ceiling on a background exchange, never the expected path of a test's assertion.
    /// </summary>
    public async Task WaitUntilEveryInstanceCoordinatesAsync()
    {
        await Poll.UntilAsync(() => Coordinators.All(static c => c.Ticks > 0), "every loop finished its first publish round");
        await Poll.UntilAsync(
            async () =>
            {
                if (Coordinators.All(static c => c.IsCoordinating))
                {
                    return true;
                }

                await TickAsync();
                return Coordinators.All(static c => c.IsCoordinating);
            },
            "every instance coordinated with the fleet");
    }

    private async Task<FleetInstance> StartInstanceAsync(bool startCoordinator = true)
    {
        int index = _instances.Count;
        TimeProvider clock = _clockOffset is null ? Time : new InstanceClock(Time, _clockOffset(index));
        var registry = new CircuitBreakerRegistry(clock);
        if (_breakerOptions is { } configureBreaker)
        {
            registry.Configure(BreakerName, o => configureBreaker(index, o));
        }

        string name = $"instance-{index}";
        ConnectionMultiplexer? connection = null;
        ObservedConnection? observed = null;
        RedisFleetCoordinator? coordinator = null;
        if (_redis is not null)
        {
            connection = await ConnectAsync(_redis, _redisUser?.User, _redisUser?.Password);
            var options = new RedisCoordinationOptions
            {
                KeyPrefix = Prefix,
                InstanceId = name,
                PublishInterval = PublishInterval,
                ProbeLeaseDuration = TimeSpan.FromSeconds(5),
                OperationTimeout = OperationTimeout,
            };
            _configure?.Invoke(index, options);
            coordinator = new RedisFleetCoordinator(registry, ObservedConnection.Wrap(connection, out observed), options, Log);
        }

        var instance = new FleetInstance(name, registry, _http, _dependency.Address, connection, observed, coordinator);
        if (startCoordinator)
        {
            coordinator?.Start();
        }

        _instances.Add(instance);
        return instance;
    }

    /// <summary>A connection as the instances make it; with <paramref name="user"/>, as that Redis ACL user.</summary>
    public static Task<ConnectionMultiplexer> ConnectAsync(RedisServer redis, string? user = null, string? password = null) =>
        ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions
        {
            EndPoints = { { "127.0.0.1", redis.Port } },
            User = user,
            Password = password,
            AbortOnConnectFail = false,
            ConnectTimeout = 2000,
            AsyncTimeout = (int)OperationTimeout.TotalMilliseconds,
            SyncTimeout = (int)OperationTimeout.TotalMilliseconds,
            ReconnectRetryPolicy = new LinearRetry(100),
            HeartbeatInterval = TimeSpan.FromMilliseconds(200),
        });

    /// <summary>
    /// Moves the fake clock, and Redis's clock for this fleet's keys with it (see <see cref="RedisClock"/>). A step of at
    /// least a publish interval fires a round in every loop: in a coordinated fleet it also waits until each has finished
    /// it, so that no round runs behind the test's back.
    /// </summary>
    public async Task AdvanceAsync(TimeSpan step)
    {
        if (_redis is not null)
        {
            _control ??= await ConnectAsync(_redis);
            await RedisClock.AdvanceAsync(_control, _redis, Prefix, step);
        }

        IReadOnlyList<RedisFleetCoordinator> coordinators = Coordinators;
        if (coordinators.Count == 0 || step < PublishInterval)
        {
            Time.Advance(step);
            return;
        }

        await PublishLoops.TickAsync(Time, step, coordinators);
    }

    /// <summary>Moves the clocks one publish interval and waits until every instance has finished a publish round.</summary>
    public Task TickAsync() => Coordinated ? AdvanceAsync(PublishInterval) : Task.CompletedTask;

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
        return await ProbesUntilAllClosedAfterTheBreakAsync(dependency);
    }

    /// <summary>
    /// Runs rounds in which only the instances whose breaker is not closed call (so each request is a probe) until every
    /// breaker is closed; returns the requests the dependency received meanwhile.
    /// </summary>
    public async Task<long> ProbesUntilAllClosedAfterTheBreakAsync(Dependency dependency)
    {
        long before = dependency.Requests;
        for (int round = 0; Instances.Any(static i => i.Breaker.State != CircuitState.Closed); round++)
        {
            Assert.True(round < 40, "the breakers did not all close");
            await RoundAsync(static i => i.Breaker.State != CircuitState.Closed);
        }

        return dependency.Requests - before;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (FleetInstance instance in Instances)
        {
            await instance.DisposeAsync();
        }

        _http.Dispose();
        if (_control is not null)
        {
            await _control.DisposeAsync();
        }
    }
}
