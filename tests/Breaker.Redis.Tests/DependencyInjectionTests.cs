using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Breaker.Redis.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Breaker.Redis.Tests;

[Collection(RedisCollection.Name)]
public sealed class DependencyInjectionTests(RedisServer redis)
{
    [Fact]
    public async Task The_host_starts_coordination_for_the_named_breakers_and_stops_it_with_the_host()
    {
        string prefix = "di-" + Guid.NewGuid().ToString("N")[..8];
        var registry = new CircuitBreakerRegistry();
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(registry);
        builder.Services.AddCircuitBreakers().AddRedisCoordination($"127.0.0.1:{redis.Port}", o =>
        {
            o.KeyPrefix = prefix;
            o.InstanceId = "web-1";
            o.PublishInterval = TimeSpan.FromMilliseconds(100);

            // Stopping removes the counts within this (real-time) limit; the default 500 ms is tight on a busy machine.
            o.OperationTimeout = TestFleet.OperationTimeout;
            o.Breakers.Add("quotes");
        });

        await using ConnectionMultiplexer observer = await TestFleet.ConnectAsync(redis);
        IDatabase db = observer.GetDatabase();
        using IHost host = builder.Build();
        await host.StartAsync();
        CircuitBreaker quotes = registry.GetOrAdd("quotes");
        CircuitBreaker other = registry.GetOrAdd("other");

        await Poll.UntilAsync(async () => await db.KeyExistsAsync($"{prefix}:v3:breaker:{{quotes}}:counts:web-1"), "the instance published its counts");
        Assert.NotNull(quotes.Coordinator);
        Assert.Null(other.Coordinator);
        Assert.False(await db.KeyExistsAsync($"{prefix}:v3:breaker:{{other}}:counts:web-1"));

        await host.StopAsync();
        Assert.False(await db.KeyExistsAsync($"{prefix}:v3:breaker:{{quotes}}:counts:web-1"));
        Assert.Null(quotes.Coordinator);
    }

    [Fact]
    public async Task Without_a_registered_connection_the_host_logs_that_coordination_did_not_start_and_stops_cleanly()
    {
        var log = new ListLogger();
        var registry = new CircuitBreakerRegistry();
        CircuitBreaker quotes = registry.GetOrAdd("quotes");
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new ListLoggerProvider(log));
        builder.Services.AddSingleton(registry);
        builder.Services.AddCircuitBreakers().AddRedisCoordination(static o => o.KeyPrefix = "no-connection");
        using IHost host = builder.Build();

        await host.StartAsync();
        await Poll.UntilAsync(
            () => log.Lines.Any(static line =>
                line.StartsWith("Error: Fleet coordination could not start", StringComparison.Ordinal)
                && line.Contains(nameof(IConnectionMultiplexer), StringComparison.Ordinal)),
            "the host logged that no connection was registered");
        await host.StopAsync();

        Assert.Null(quotes.Coordinator);
    }

    [Fact]
    public async Task A_missing_key_prefix_fails_the_host_start()
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(new CircuitBreakerRegistry());
        builder.Services.AddCircuitBreakers().AddRedisCoordination($"127.0.0.1:{redis.Port}", static _ => { });
        using IHost host = builder.Build();

        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("key prefix", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_bound_from_configuration_coordinate_the_listed_breakers_and_sign_their_records()
    {
        string prefix = "config-" + Guid.NewGuid().ToString("N")[..8];
        var registry = new CircuitBreakerRegistry();
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["BreakerFleet:KeyPrefix"] = prefix,
            ["BreakerFleet:InstanceId"] = "web-1",
            ["BreakerFleet:Breakers:0"] = "quotes",
            ["BreakerFleet:PublishInterval"] = "00:00:00.100",
            ["BreakerFleet:MinimumInstances"] = "3",
            ["BreakerFleet:SigningKey"] = "an-example-key-of-forty-characters-000000",
        });
        builder.Services.AddSingleton(registry);
        builder.Services.AddCircuitBreakers().AddRedisCoordination($"127.0.0.1:{redis.Port}", builder.Configuration.GetSection("BreakerFleet"), static o => o.MinimumInstances = 2);

        await using ConnectionMultiplexer observer = await TestFleet.ConnectAsync(redis);
        IDatabase db = observer.GetDatabase();
        using IHost host = builder.Build();
        await host.StartAsync();
        CircuitBreaker quotes = registry.GetOrAdd("quotes");
        CircuitBreaker other = registry.GetOrAdd("other");
        string key = $"{prefix}:v3:breaker:{{quotes}}:counts:web-1";
        await Poll.UntilAsync(async () => await db.KeyExistsAsync(key), "the instance published its counts");

        Assert.Matches(new Regex("^3\\|counts\\|0\\|[0-9a-f]{16}\\|[0-9]+\\|0\\|0\\|0\\|web-1\\|[0-9a-f]{64}$"), (string?)await db.StringGetAsync(key));
        Assert.NotNull(quotes.Coordinator);
        Assert.Null(other.Coordinator);
        Assert.Equal(3, host.Services.GetRequiredService<IOptions<RedisCoordinationOptions>>().Value.MinimumInstances);
        await host.StopAsync();
    }

    [Theory]
    [InlineData("PublishIntervl", "00:00:01", "PublishIntervl")]
    [InlineData("PublishInterval", "soon", "PublishInterval")]
    [InlineData("MinimumInstances", "0", "MinimumInstances")]
    [InlineData("ProbeLeaseDuration", "01:00:00", "ProbeLeaseDuration")]
    [InlineData("SigningKey", "too-short", "SigningKey")]
    [InlineData("InstanceId", "web 1", "InstanceId")]
    public async Task A_misspelt_or_invalid_setting_fails_the_host_start_naming_it(string setting, string value, string named)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["BreakerFleet:KeyPrefix"] = "app",
            ["BreakerFleet:" + setting] = value,
        });
        builder.Services.AddSingleton(new CircuitBreakerRegistry());
        builder.Services.AddCircuitBreakers().AddRedisCoordination($"127.0.0.1:{redis.Port}", builder.Configuration.GetSection("BreakerFleet"));
        using IHost host = builder.Build();

        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_health_check_is_degraded_while_Redis_is_out_of_reach_and_healthy_while_the_instance_coordinates()
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(new CircuitBreakerRegistry());
        builder.Services.AddCircuitBreakers().AddRedisCoordination($"127.0.0.1:{redis.Port},connectTimeout=500", static o =>
        {
            o.KeyPrefix = "health-" + Guid.NewGuid().ToString("N")[..8];
            o.InstanceId = "web-1";
            o.PublishInterval = TimeSpan.FromMilliseconds(100);
        });
        builder.Services.AddHealthChecks().AddRedisCoordination();
        using IHost host = builder.Build();
        HealthCheckService health = host.Services.GetRequiredService<HealthCheckService>();
        await host.StartAsync();
        try
        {
            await Poll.UntilAsync(async () => (await health.CheckHealthAsync()).Status == HealthStatus.Healthy, "the check reported coordination");
            redis.Stop();
            await Poll.UntilAsync(async () => (await health.CheckHealthAsync()).Status == HealthStatus.Degraded, "the check reported the loss of Redis");
            HealthReportEntry entry = (await health.CheckHealthAsync()).Entries["circuit-breaker-fleet"];
            Assert.Contains("Redis is out of reach", entry.Description, StringComparison.Ordinal);
            Assert.Equal(false, entry.Data["isCoordinating"]);
        }
        finally
        {
            redis.Start();
        }

        await Poll.UntilAsync(async () => (await health.CheckHealthAsync()).Status == HealthStatus.Healthy, "the check reported coordination again");
        await host.StopAsync();
    }

    /// <summary>Sends every category's log to one <see cref="ListLogger"/>.</summary>
    private sealed class ListLoggerProvider(ListLogger log) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => log;

        public void Dispose()
        {
        }
    }
}
