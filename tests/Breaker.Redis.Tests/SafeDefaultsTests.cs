using System;
using System.Linq;
using System.Threading.Tasks;
using Breaker.Redis.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Breaker.Redis.Tests;

/// <summary>
/// Without a signing key, anyone who can write to Redis speaks for the fleet. By default such a fleet says so at start,
/// reports Degraded once it has company, and holds every break it takes from the fleet to the breaker's own break; a user
/// who wants otherwise says so with <see cref="RedisCoordinationOptions.AllowUnsigned"/>.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class SafeDefaultsTests(RedisServer redis)
{
    private const string UnsignedWarning = "runs without a signing key";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_unsigned_fleet_warns_at_start_and_holds_a_forged_break_of_a_day_to_each_breakers_own_break_unless_it_opted_out(bool allowUnsigned)
    {
        await using Dependency dependency = await Dependency.StartAsync();
        await using TestFleet fleet = await TestFleet.StartAsync(2, dependency, redis, o => o.AllowUnsigned = allowUnsigned);
        await using Forger forger = await Forger.ConnectAsync(redis, fleet.Prefix);
        await fleet.TickAsync();

        await forger.WriteBreakAsync(0, 1, TimeSpan.FromDays(1), TimeSpan.FromMinutes(20), "instance-0");
        await fleet.TickAsync();

        // Held to the breakers' 30 s break by default; opted out, to their LongestBreak (the default MaxBreakDuration, 30 min).
        TimeSpan expected = allowUnsigned ? new CircuitBreakerOptions().MaxBreakDuration : TestFleet.BreakDuration;
        Assert.All(fleet.Instances, i => Assert.InRange(i.RetryAfter, expected - TimeSpan.FromSeconds(2), expected));
        int warnings = fleet.Log.Lines.Count(static l => l.StartsWith("Warning:", StringComparison.Ordinal) && l.Contains(UnsignedWarning, StringComparison.Ordinal));
        Assert.Equal(allowUnsigned ? 0 : fleet.Instances.Count, warnings);
    }

    [Fact]
    public async Task A_signed_fleet_does_not_warn()
    {
        await using Dependency dependency = await Dependency.StartAsync();
        await using TestFleet fleet = await TestFleet.StartAsync(2, dependency, redis, static o => o.SigningKey = TestFleet.SigningKey);
        Assert.DoesNotContain(fleet.Log.Lines, static l => l.Contains(UnsignedWarning, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false, HealthStatus.Degraded)]
    [InlineData(true, HealthStatus.Healthy)]
    public async Task The_health_check_reports_an_unsigned_fleet_of_more_than_one_instance_as_degraded_unless_it_opted_out(bool allowUnsigned, HealthStatus expected)
    {
        string prefix = "unsigned-" + Guid.NewGuid().ToString("N")[..8];
        void Configure(RedisCoordinationOptions o, string id)
        {
            o.KeyPrefix = prefix;
            o.InstanceId = id;
            o.PublishInterval = TimeSpan.FromMilliseconds(100);
            o.OperationTimeout = TestFleet.OperationTimeout;
            o.AllowUnsigned = allowUnsigned;
        }

        var registry = new CircuitBreakerRegistry();
        registry.GetOrAdd(TestFleet.BreakerName);
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(registry);
        builder.Services.AddCircuitBreakers().AddRedisCoordination($"127.0.0.1:{redis.Port}", o => Configure(o, "web-1"));
        builder.Services.AddHealthChecks().AddRedisCoordination();
        using IHost host = builder.Build();
        HealthCheckService health = host.Services.GetRequiredService<HealthCheckService>();
        await host.StartAsync();

        // Alone, it is healthy either way: an unsigned fleet of one is nobody else's to open.
        await Poll.UntilAsync(async () => (await health.CheckHealthAsync()).Status == HealthStatus.Healthy, "the check reported coordination");

        // A second instance of the application (its own registry and connection, real time like the host's).
        var other = new CircuitBreakerRegistry();
        other.GetOrAdd(TestFleet.BreakerName);
        await using ConnectionMultiplexer connection = await TestFleet.ConnectAsync(redis);
        var options = new RedisCoordinationOptions();
        Configure(options, "web-2");
        await using var coordinator = new RedisFleetCoordinator(other, connection, options);
        coordinator.Start();

        // The second instance has been counted (its counts seen moving) once its coordinator shows the host's instance too.
        CircuitBreaker breaker = other.GetOrAdd(TestFleet.BreakerName);
        await Poll.UntilAsync(() => breaker.Coordinator?.GetStatus(breaker)?.Instances.Count == 2, "each instance counted the other");
        await Poll.UntilAsync(async () => (await health.CheckHealthAsync()).Status == expected, $"the check reported {expected}");
        HealthReportEntry entry = (await health.CheckHealthAsync()).Entries["circuit-breaker-fleet"];
        Assert.Equal(expected == HealthStatus.Degraded, entry.Description!.Contains("without a signing key", StringComparison.Ordinal));
        await host.StopAsync();
    }
}
