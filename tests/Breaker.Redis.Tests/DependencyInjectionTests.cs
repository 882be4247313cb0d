using System;
using System.Linq;
using System.Threading.Tasks;
using Breaker.Redis.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
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
            o.Breakers.Add("quotes");
        });

        await using ConnectionMultiplexer observer = await TestFleet.ConnectAsync(redis);
        IDatabase db = observer.GetDatabase();
        using IHost host = builder.Build();
        await host.StartAsync();
        CircuitBreaker quotes = registry.GetOrAdd("quotes");
        CircuitBreaker other = registry.GetOrAdd("other");

        await Poll.UntilAsync(async () => await db.KeyExistsAsync($"{prefix}:v2:breaker:{{quotes}}:counts:web-1"), "the instance published its counts");
        Assert.NotNull(quotes.Coordinator);
        Assert.Null(other.Coordinator);
        Assert.False(await db.KeyExistsAsync($"{prefix}:v2:breaker:{{other}}:counts:web-1"));

        await host.StopAsync();
        Assert.False(await db.KeyExistsAsync($"{prefix}:v2:breaker:{{quotes}}:counts:web-1"));
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

    /// <summary>Sends every category's log to one <see cref="ListLogger"/>.</summary>
    private sealed class ListLoggerProvider(ListLogger log) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => log;

        public void Dispose()
        {
        }
    }
}
