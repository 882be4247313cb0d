using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Breaker.Extensions.Tests;

/// <summary>Keyed groups in a host: configured by the group's name (start-up and reload), logged, and reported by health.</summary>
public sealed class KeyedGroupTests
{
    [Fact]
    public async Task A_groups_section_configures_every_key_and_a_reload_reaches_live_keys()
    {
        await using TestHost host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["tenants:ConsecutiveFailureThreshold"] = "2",
            ["tenants:MaxKeys"] = "2",
            ["tenants:KeyIdleTimeout"] = "00:10:00",
        });
        CircuitBreakerKeys<string> tenants = host.Registry.GetOrAddGroup<string>("tenants", static o => o.ConsecutiveFailureThreshold = 9);
        CircuitBreaker acme = tenants.GetBreaker("acme");
        acme.TryAcquire().RecordFailure(new InvalidOperationException());
        acme.TryAcquire().RecordFailure(new InvalidOperationException());
        Assert.Equal(CircuitState.Open, acme.State);
        tenants.GetBreaker("globex");
        CircuitBreaker initech = tenants.GetBreaker("initech");
        Assert.Same(tenants.Group.SharedBreaker, initech);

        host.Reload(new Dictionary<string, string?> { ["tenants:BreakDuration"] = "00:00:05", ["tenants:MaxKeys"] = "3" });

        Assert.Equal(TimeSpan.FromSeconds(5), acme.Options.BreakDuration);
        Assert.Equal(CircuitState.Open, acme.State);
        Assert.Equal(TimeSpan.FromSeconds(5), tenants.Group.SharedBreaker!.Options.BreakDuration);
        Assert.NotSame(initech, tenants.GetBreaker("initech")); // the larger bound makes room
        Assert.Equal(2, tenants.GetBreaker("initech").Options.ConsecutiveFailureThreshold);
    }

    [Fact]
    public async Task An_invalid_group_reload_is_logged_and_every_key_keeps_its_options()
    {
        await using TestHost host = await TestHost.StartAsync(new Dictionary<string, string?> { ["tenants:MaxKeys"] = "5" });
        CircuitBreakerKeys<int> tenants = host.Registry.GetOrAddGroup<int>("tenants");
        CircuitBreaker one = tenants.GetBreaker(1);

        host.Reload(new Dictionary<string, string?> { ["tenants:MaxKeys"] = "0", ["tenants:FailureRatio"] = "0.2" });

        Assert.Equal(5, tenants.Group.Options.MaxKeys);
        Assert.Equal(0.5, one.Options.FailureRatio);
        FakeLogRecord error = Assert.Single(host.Logs.GetSnapshot(), r => r.Level == LogLevel.Error);
        Assert.Contains("Circuit breaker 'tenants'", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxKeys", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_group_is_judged_at_start_up_by_its_codes_options()
    {
        // Valid on top of the code (a window of 5 calls holding 5), not on top of the library's MinimumThroughput of 10.
        var host = TestHost.Create(new Dictionary<string, string?> { ["small:SlidingWindowSize"] = "6" });
        await using (host)
        {
            CircuitBreakerKeys<string> small = host.Registry.GetOrAddGroup<string>("small", static o => { o.MinimumThroughput = 5; o.SlidingWindowSize = 5; });

            await host.Host.StartAsync();

            Assert.Equal(6, small.GetBreaker("a").Options.SlidingWindowSize);
        }
    }

    [Fact]
    public async Task Evicted_keys_are_no_longer_logged_and_new_keys_are()
    {
        await using TestHost host = await TestHost.StartAsync(new Dictionary<string, string?>());
        CircuitBreakerKeys<string> tenants = host.Registry.GetOrAddGroup<string>("tenants", static o => { o.MaxKeys = 1; o.KeyIdleTimeout = TimeSpan.FromSeconds(1); });
        CircuitBreaker old = tenants.GetBreaker("old");
        host.Time.Advance(TimeSpan.FromSeconds(1));
        CircuitBreaker fresh = tenants.GetBreaker("fresh");
        Assert.False(host.Registry.TryGet("tenants:old", out _));

        old.Isolate(); // a call still running on the evicted breaker may move it: nobody listens any more
        fresh.Isolate();

        string[] logged = host.Logs.GetSnapshot().Where(static r => r.Category == "Breaker.CircuitBreaker").Select(static r => r.Message).ToArray();
        Assert.Equal(["Circuit breaker 'tenants:fresh' was isolated by hand (was Closed); every call is rejected until it is reset."], logged);
    }

    [Fact]
    public async Task An_evicted_keys_failing_BreakDurationHook_is_no_longer_logged()
    {
        await using TestHost host = await TestHost.StartAsync(new Dictionary<string, string?>());
        CircuitBreakerKeys<string> tenants = host.Registry.GetOrAddGroup<string>("hooks", static o =>
        {
            o.MaxKeys = 1;
            o.KeyIdleTimeout = TimeSpan.FromSeconds(1);
            o.BreakDurationHook = static _ => throw new InvalidOperationException("hook fault");
        });
        CircuitBreaker old = tenants.GetBreaker("old");
        host.Time.Advance(TimeSpan.FromSeconds(1));
        CircuitBreaker fresh = tenants.GetBreaker("fresh");
        Assert.False(host.Registry.TryGet("hooks:old", out _));

        // Whoever still holds the evicted breaker opens it by hand: its hook runs and fails, and nobody listens any more.
        old.StartBreak();
        fresh.StartBreak();

        Assert.Equal(CircuitState.Open, old.State);
        string[] logged = host.Logs.GetSnapshot().Where(static r => r.Category == "Breaker.CircuitBreaker").Select(static r => r.Message).ToArray();
        Assert.Equal(
            [
                "Circuit breaker 'hooks:fresh' opened (was Closed); calls are rejected for 00:01:00.",
                "Circuit breaker 'hooks:fresh': its BreakDurationHook failed; it opened for 00:01:00, the break it has without the hook.",
            ],
            logged.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_caller_holding_an_evicted_keys_breaker_is_served_by_the_breaker_the_key_has_now_and_its_hook_failure_is_logged_there()
    {
        await using TestHost host = await TestHost.StartAsync(new Dictionary<string, string?>());
        CircuitBreakerKeys<string> tenants = host.Registry.GetOrAddGroup<string>("hooked", static o =>
        {
            o.MaxKeys = 1;
            o.KeyIdleTimeout = TimeSpan.FromSeconds(1);
            o.ConsecutiveFailureThreshold = 1;
            o.BreakDurationHook = static _ => throw new InvalidOperationException("hook fault");
        });
        CircuitBreaker old = tenants.GetBreaker("old");
        host.Time.Advance(TimeSpan.FromSeconds(1));
        tenants.GetBreaker("fresh");
        Assert.False(host.Registry.TryGet("hooked:old", out _));

        // A caller that still holds the evicted breaker: its call goes to the breaker its key has now (the group is full,
        // so the shared one), whose opening runs the failing hook; the evicted breaker is never used again.
        old.TryAcquire().RecordFailure(new InvalidOperationException());

        Assert.Equal(CircuitState.Closed, old.State);
        Assert.True(host.Registry.TryGet("hooked:*", out CircuitBreaker? shared));
        Assert.Equal(CircuitState.Open, shared.State);
        string[] logged = host.Logs.GetSnapshot().Where(static r => r.Message.Contains("hook", StringComparison.OrdinalIgnoreCase)).Select(static r => r.Message).ToArray();
        Assert.NotEmpty(logged);
        Assert.All(logged, static m => Assert.Contains("'hooked:*'", m, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_health_check_reports_a_group_as_one_entry_with_its_keys_by_state()
    {
        var registry = new CircuitBreakerRegistry(new Microsoft.Extensions.Time.Testing.FakeTimeProvider());
        registry.GetOrAdd("plain");
        CircuitBreakerKeys<int> tenants = registry.GetOrAddGroup<int>("tenants", static o => { o.MaxKeys = 500; o.ConsecutiveFailureThreshold = 1; });
        for (int key = 0; key < 500; key++)
        {
            tenants.GetBreaker(key);
        }

        tenants.GetBreaker(3).TryAcquire().RecordFailure(new InvalidOperationException());
        tenants.GetBreaker(4).Isolate();
        tenants.GetBreaker(500); // the group is full: the shared breaker

        HealthReportEntry entry = await CheckAsync(registry);

        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Equal(2, entry.Data.Count);
        Assert.Equal("Closed", entry.Data["plain"]);
        Assert.Equal("500 of 500 keys: 498 Closed, 1 Open, 1 Isolated; shared breaker Closed", entry.Data["tenants"]);
        Assert.Equal("1 of 2 circuit breakers and keyed groups are not closed: tenants (2 of 500 keys not closed).", entry.Description);
    }

    private static async Task<HealthReportEntry> CheckAsync(CircuitBreakerRegistry registry)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(registry);
        services.AddHealthChecks().AddCircuitBreakers();
        await using ServiceProvider provider = services.BuildServiceProvider();
        HealthReport report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        return report.Entries["circuit-breakers"];
    }
}
