using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Extensions.Tests;

public sealed class ConfigurationTests
{
    [Fact]
    public void AddCircuitBreakers_registers_the_default_registry_that_generated_code_uses()
    {
        using ServiceProvider services = new ServiceCollection().AddCircuitBreakers().Services.BuildServiceProvider();

        Assert.Same(CircuitBreakerRegistry.Default, services.GetRequiredService<CircuitBreakerRegistry>());
    }

    [Fact]
    public async Task Each_child_section_overrides_the_codes_options_for_the_breaker_of_that_name()
    {
        await using TestHost host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["payments:FailureRatio"] = "0.3",
            ["payments:BreakDuration"] = "00:00:30",
            ["payments:Timeout"] = "00:00:02",
            ["payments:SamplingDuration"] = "00:01:00",
        });

        // What generated code does: the attribute's values as defaults.
        CircuitBreaker breaker = host.Registry.GetOrAdd("payments", static o =>
        {
            o.FailureRatio = 0.9;
            o.MinimumThroughput = 5;
        });

        CircuitBreakerOptions options = breaker.Options;
        Assert.Equal(0.3, options.FailureRatio);
        Assert.Equal(TimeSpan.FromSeconds(30), options.BreakDuration);
        Assert.Equal(TimeSpan.FromSeconds(2), options.Timeout);
        Assert.Equal(TimeSpan.FromMinutes(1), options.SamplingDuration);
        Assert.Equal(5, options.MinimumThroughput);
        Assert.Equal(3, options.SuccessThreshold);
    }

    [Fact]
    public async Task A_breaker_that_exists_before_start_is_reconfigured_at_start()
    {
        var host = TestHost.Create(new Dictionary<string, string?> { ["early:SuccessThreshold"] = "7" });
        await using (host)
        {
            CircuitBreaker breaker = host.Registry.GetOrAdd("early");
            Assert.Equal(3, breaker.Options.SuccessThreshold);

            await host.Host.StartAsync();

            Assert.Equal(7, breaker.Options.SuccessThreshold);
        }
    }

    [Fact]
    public async Task Jitter_is_configured_like_any_other_setting_and_its_seed_replays_the_breaks()
    {
        await using TestHost host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["spread:BreakJitterRatio"] = "0.25",
            ["spread:BreakJitterSeed"] = "42",
        });

        CircuitBreaker breaker = host.Registry.GetOrAdd("spread", static o => o.ConsecutiveFailureThreshold = 1);

        Assert.Equal(0.25, breaker.Options.BreakJitterRatio);
        Assert.Equal(42, breaker.Options.BreakJitterSeed);
        var seeded = new CircuitBreaker("spread", breaker.Options, new FakeTimeProvider());
        TimeSpan? opened = null;
        TimeSpan? replayed = null;
        breaker.StateChanged += (_, e) => opened = e.BreakDuration;
        seeded.StateChanged += (_, e) => replayed = e.BreakDuration;
        Assert.Throws<InvalidOperationException>(() => breaker.Execute(static () => throw new InvalidOperationException("down")));
        Assert.Throws<InvalidOperationException>(() => seeded.Execute(static () => throw new InvalidOperationException("down")));
        Assert.NotNull(opened);
        Assert.InRange(opened.Value, TimeSpan.FromSeconds(45), TimeSpan.FromSeconds(75));
        Assert.Equal(opened, replayed);
    }

    [Theory]
    [InlineData("BreakJitterRatio", "1", "BreakJitterRatio")]
    [InlineData("BreakJitterRatio", "-0.1", "BreakJitterRatio")]
    [InlineData("BreakJitterSeed", "lucky", "BreakJitterSeed")]
    [InlineData("FailureRatio", "1.5", "FailureRatio")]
    [InlineData("SlidingWindowSize", "5", "SlidingWindowSize")]
    [InlineData("BreakDuration", "-00:00:01", "BreakDuration")]
    [InlineData("BreakDuration", "soon", "BreakDuration")]
    [InlineData("FailurRatio", "0.5", "FailurRatio")]
    public async Task Invalid_configuration_stops_the_host_with_a_message_naming_the_breaker_and_the_option(string option, string value, string named)
    {
        var host = TestHost.Create(new Dictionary<string, string?> { ["orders:" + option] = value });
        await using (host)
        {
            OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.Host.StartAsync());

            string failure = Assert.Single(error.Failures);
            Assert.Contains("Circuit breaker 'orders'", failure, StringComparison.Ordinal);
            Assert.Contains(named, failure, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_breaker_that_exists_at_start_up_is_judged_with_its_codes_options()
    {
        // Valid for this breaker (its code keeps 500 calls), although not with the library's window of 100.
        var host = TestHost.Create(new Dictionary<string, string?> { ["big:MinimumThroughput"] = "200" });
        await using (host)
        {
            CircuitBreaker breaker = host.Registry.GetOrAdd("big", static o => o.SlidingWindowSize = 500);

            await host.Host.StartAsync();

            Assert.Equal(200, breaker.Options.MinimumThroughput);
        }
    }

    [Fact]
    public async Task A_declared_breaker_is_judged_with_its_declared_options_at_start_up_and_logged_from_then()
    {
        var host = TestHost.Create(new Dictionary<string, string?> { ["declared-big:MinimumThroughput"] = "200", ["declared-small:MinimumThroughput"] = "200" });
        await using (host)
        {
            // What generated code declares when its assembly loads: nothing is created yet.
            host.Registry.Declare(new CircuitBreakerDeclaration("declared-big", new CircuitBreakerOptions { SlidingWindowSize = 500 }));
            host.Registry.Declare(new CircuitBreakerDeclaration("declared-small", new CircuitBreakerOptions { SlidingWindowSize = 100 }));

            OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.Host.StartAsync());

            // Valid for the breaker whose code keeps 500 calls; not for the one that keeps 100.
            string failure = Assert.Single(error.Failures);
            Assert.StartsWith("Circuit breaker 'declared-small': SlidingWindowSize must be at least MinimumThroughput (200)", failure, StringComparison.Ordinal);
            Assert.True(host.Registry.TryGet("declared-big", out CircuitBreaker? big));
            Assert.Equal((500, 200), (big.Options.SlidingWindowSize, big.Options.MinimumThroughput));
            Assert.Same(host.Time, big.TimeProvider);
        }
    }

    [Fact]
    public async Task A_reload_reconfigures_a_live_breaker_without_resetting_its_state()
    {
        await using TestHost host = await TestHost.StartAsync(new Dictionary<string, string?> { ["live:ConsecutiveFailureThreshold"] = "2" });
        CircuitBreaker breaker = host.Registry.GetOrAdd("live");
        breaker.TryAcquire().RecordFailure(new InvalidOperationException());
        breaker.TryAcquire().RecordFailure(new InvalidOperationException());
        Assert.Equal(CircuitState.Open, breaker.State);

        host.Reload(new Dictionary<string, string?> { ["live:FailureRatio"] = "0.8", ["live:BreakDuration"] = "00:00:05" });

        Assert.Equal(0.8, breaker.Options.FailureRatio);
        Assert.Equal(TimeSpan.FromSeconds(5), breaker.Options.BreakDuration);
        Assert.Equal(2, breaker.Options.ConsecutiveFailureThreshold);
        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        Assert.Equal(CircuitState.Open, metrics.State);
        Assert.Equal(2, metrics.FailedCalls);
        Assert.Equal(1, metrics.CircuitOpens);
    }

    [Fact]
    public async Task An_invalid_reload_is_logged_and_the_breaker_keeps_its_options()
    {
        await using TestHost host = await TestHost.StartAsync(new Dictionary<string, string?> { ["steady:FailureRatio"] = "0.4" });
        CircuitBreaker breaker = host.Registry.GetOrAdd("steady");

        host.Reload(new Dictionary<string, string?> { ["steady:FailureRatio"] = "7" });

        Assert.Equal(0.4, breaker.Options.FailureRatio);
        FakeLogRecord error = Assert.Single(host.Logs.GetSnapshot(), r => r.Level == LogLevel.Error);
        Assert.Contains("Circuit breaker 'steady'", error.Message, StringComparison.Ordinal);
        Assert.Contains("FailureRatio", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Configuration_code_that_throws_on_a_reload_is_logged_and_only_its_breaker_keeps_its_options()
    {
        var failure = new InvalidOperationException("the secret store is unavailable");
        bool broken = false;
        await using TestHost host = await TestHost.StartAsync(
            new Dictionary<string, string?> { ["throwing:FailureRatio"] = "0.4", ["steady:FailureRatio"] = "0.4" },
            breakers => breakers.Configure("throwing", o =>
            {
                if (broken)
                {
                    throw failure;
                }

                o.MinimumThroughput = 30;
            }));
        CircuitBreaker throwing = host.Registry.GetOrAdd("throwing");
        CircuitBreaker steady = host.Registry.GetOrAdd("steady");

        broken = true;
        host.Reload(new Dictionary<string, string?> { ["throwing:FailureRatio"] = "0.6", ["steady:FailureRatio"] = "0.6" });

        Assert.Equal(0.4, throwing.Options.FailureRatio);
        Assert.Equal(30, throwing.Options.MinimumThroughput);
        Assert.Equal(0.6, steady.Options.FailureRatio);
        FakeLogRecord error = Assert.Single(host.Logs.GetSnapshot(), r => r.Level == LogLevel.Error);
        Assert.Contains("Circuit breaker 'throwing'", error.Message, StringComparison.Ordinal);
        Assert.Contains(failure.Message, error.Message, StringComparison.Ordinal);
        Assert.Same(failure, error.Exception);
    }

    [Fact]
    public async Task Configuration_code_that_throws_at_start_stops_the_host_with_a_message_naming_the_breaker()
    {
        var host = TestHost.Create(
            new Dictionary<string, string?>(),
            breakers => breakers.Configure("throwing", static _ => throw new InvalidOperationException("the secret store is unavailable")));
        await using (host)
        {
            OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.Host.StartAsync());

            string failure = Assert.Single(error.Failures);
            Assert.Contains("Circuit breaker 'throwing'", failure, StringComparison.Ordinal);
            Assert.Contains("the secret store is unavailable", failure, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Removing_a_setting_returns_the_breaker_to_the_codes_value()
    {
        await using TestHost host = await TestHost.StartAsync(new Dictionary<string, string?> { ["removed:SuccessThreshold"] = "9" });
        CircuitBreaker breaker = host.Registry.GetOrAdd("removed", static o => o.SuccessThreshold = 4);
        Assert.Equal(9, breaker.Options.SuccessThreshold);

        host.Reload(new Dictionary<string, string?> { ["removed:SuccessThreshold"] = null });

        Assert.Equal(4, breaker.Options.SuccessThreshold);
    }

    [Fact]
    public async Task Code_configuration_runs_after_the_section_and_can_set_what_configuration_cannot()
    {
        Func<Exception, bool> onlyTimeouts = static ex => ex is TimeoutException;
        await using TestHost host = await TestHost.StartAsync(
            new Dictionary<string, string?> { ["coded:FailureRatio"] = "0.25", ["coded:MinimumThroughput"] = "20" },
            breakers => breakers.Configure("coded", o =>
            {
                o.ShouldHandle = onlyTimeouts;
                o.MinimumThroughput = 50;
            }));

        CircuitBreakerOptions options = host.Registry.GetOrAdd("coded").Options;

        Assert.Same(onlyTimeouts, options.ShouldHandle);
        Assert.Equal(0.25, options.FailureRatio);
        Assert.Equal(50, options.MinimumThroughput);
    }

    [Fact]
    public async Task The_action_overload_configures_breakers_in_code()
    {
        var registry = new CircuitBreakerRegistry(new FakeTimeProvider());
        var services = new ServiceCollection();
        services.AddSingleton(registry);
        services.AddCircuitBreakers(o => o.Breakers["in-code"] = new CircuitBreakerSettings { FailureRatio = 0.2, BreakDuration = TimeSpan.FromSeconds(3) });
        await using ServiceProvider provider = services.BuildServiceProvider();

        await StartHostedServicesAsync(provider);

        CircuitBreakerOptions options = registry.GetOrAdd("in-code").Options;
        Assert.Equal(0.2, options.FailureRatio);
        Assert.Equal(TimeSpan.FromSeconds(3), options.BreakDuration);
    }

    [Fact]
    public async Task The_registry_takes_the_applications_TimeProvider()
    {
        var time = new FakeTimeProvider();
        var registry = new CircuitBreakerRegistry();
        var services = new ServiceCollection();
        services.AddSingleton(registry);
        services.AddSingleton<TimeProvider>(time);
        services.AddCircuitBreakers();
        await using ServiceProvider provider = services.BuildServiceProvider();

        await StartHostedServicesAsync(provider);

        Assert.Same(time, registry.TimeProvider);
        Assert.Same(time, registry.GetOrAdd("clocked").TimeProvider);
    }

    private static async Task StartHostedServicesAsync(IServiceProvider provider)
    {
        foreach (Microsoft.Extensions.Hosting.IHostedService service in provider.GetServices<Microsoft.Extensions.Hosting.IHostedService>())
        {
            await service.StartAsync(default);
        }
    }
}
