using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Breaker.Extensions.Tests;

public sealed class LoggingTests
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["logged:ConsecutiveFailureThreshold"] = "1",
        ["logged:BreakDuration"] = "00:00:10",
        ["logged:SuccessThreshold"] = "1",
        ["later:ConsecutiveFailureThreshold"] = "1",
    };

    [Fact]
    public async Task State_changes_are_logged_warning_on_open_and_information_on_half_open_and_close()
    {
        var host = TestHost.Create(Settings);
        await using (host)
        {
            CircuitBreaker breaker = host.Registry.GetOrAdd("logged");
            await host.Host.StartAsync();

            breaker.TryAcquire().RecordFailure(new InvalidOperationException());
            host.Time.Advance(TimeSpan.FromSeconds(10));
            breaker.TryAcquire().RecordSuccess();

            FakeLogRecord[] records = StateChanges(host, "logged");
            Assert.Equal([LogLevel.Warning, LogLevel.Information, LogLevel.Information], records.Select(r => r.Level));
            Assert.Equal(["Opened", "HalfOpened", "Closed"], records.Select(r => r.Id.Name));
            Assert.Equal("Circuit breaker 'logged' opened (was Closed); calls are rejected for 00:00:10.", records[0].Message);
            Assert.Contains("half-open", records[1].Message, StringComparison.Ordinal);
            Assert.Equal("Circuit breaker 'logged' closed (was HalfOpen); calls flow normally.", records[2].Message);
        }
    }

    [Fact]
    public async Task Health_checks_across_the_end_of_a_break_log_nothing_and_the_first_call_logs_one_half_open()
    {
        var host = TestHost.Create(Settings, static b => b.Services.AddHealthChecks().AddCircuitBreakers());
        await using (host)
        {
            await host.Host.StartAsync();
            CircuitBreaker breaker = host.Registry.GetOrAdd("logged");
            breaker.TryAcquire().RecordFailure(new InvalidOperationException());
            HealthCheckService health = host.Host.Services.GetRequiredService<HealthCheckService>();

            // Every 500 ms for 20 s, across the end of the 10 s break.
            var seen = new List<object>();
            for (int step = 0; step < 40; step++)
            {
                host.Time.Advance(TimeSpan.FromMilliseconds(500));
                HealthReport report = await health.CheckHealthAsync();
                seen.Add(report.Entries["circuit-breakers"].Data["logged"]);
            }

            Assert.Equal([.. Enumerable.Repeat("Open", 19), .. Enumerable.Repeat("HalfOpen", 21)], seen);
            Assert.Equal(["Opened"], StateChanges(host, "logged").Select(r => r.Id.Name));

            breaker.TryAcquire().RecordSuccess();

            Assert.Equal(["Opened", "HalfOpened", "Closed"], StateChanges(host, "logged").Select(r => r.Id.Name));
        }
    }

    [Fact]
    public async Task Breakers_created_after_start_are_logged_from_their_first_change()
    {
        await using TestHost host = await TestHost.StartAsync(Settings);
        CircuitBreaker breaker = host.Registry.GetOrAdd("later");

        breaker.TryAcquire().RecordFailure(new InvalidOperationException());
        breaker.Isolate();
        breaker.Reset();

        FakeLogRecord[] records = StateChanges(host, "later");
        Assert.Equal(["Opened", "Isolated", "Closed"], records.Select(r => r.Id.Name));
        Assert.Equal([LogLevel.Warning, LogLevel.Warning, LogLevel.Information], records.Select(r => r.Level));
    }

    [Fact]
    public async Task A_breaker_already_open_when_the_host_starts_has_its_state_logged()
    {
        var host = TestHost.Create(Settings);
        await using (host)
        {
            host.Registry.GetOrAdd("opened-early", static o => o.ConsecutiveFailureThreshold = 1).TryAcquire().RecordFailure(new InvalidOperationException());

            await host.Host.StartAsync();

            FakeLogRecord found = Assert.Single(StateChanges(host, "opened-early"));
            Assert.Equal(LogLevel.Warning, found.Level);
            Assert.Equal("Circuit breaker 'opened-early' is Open; calls are rejected.", found.Message);
        }
    }

    [Fact]
    public async Task Nothing_is_logged_after_the_host_is_disposed()
    {
        TestHost host = await TestHost.StartAsync(Settings);
        CircuitBreaker breaker = host.Registry.GetOrAdd("logged");
        CircuitBreaker later = host.Registry.GetOrAdd("later");
        FakeLogCollector logs = host.Logs;
        CircuitBreakerRegistry registry = host.Registry;
        await host.DisposeAsync();

        breaker.Isolate();
        later.Isolate();
        registry.GetOrAdd("added-after-dispose").Isolate();

        Assert.DoesNotContain(logs.GetSnapshot(), r => r.Category == "Breaker.CircuitBreaker");
    }

    [Fact]
    public async Task Configuration_a_new_breaker_cannot_take_is_set_aside_and_logged_as_an_error()
    {
        // Valid on its own (the library's window holds 100 calls), but not for code whose window holds 20.
        await using TestHost host = await TestHost.StartAsync(new Dictionary<string, string?> { ["small:MinimumThroughput"] = "50" });

        CircuitBreaker breaker = host.Registry.GetOrAdd("small", static o => { o.SlidingWindowSize = 20; o.MinimumThroughput = 5; });

        Assert.Equal(5, breaker.Options.MinimumThroughput);
        FakeLogRecord record = Assert.Single(StateChanges(host, "small"));
        Assert.Equal(LogLevel.Error, record.Level);
        Assert.Equal("ConfigurationSetAside", record.Id.Name);
        Assert.Contains("SlidingWindowSize", record.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ShouldHandle_that_throws_is_logged_as_an_error_with_its_exception()
    {
        await using TestHost host = await TestHost.StartAsync(Settings);
        CircuitBreaker breaker = host.Registry.GetOrAdd("judged", static o => o.ShouldHandle = static _ => throw new FormatException("predicate bug"));

        Assert.Throws<TimeoutException>(() => breaker.Execute(static () => throw new TimeoutException("slow")));

        FakeLogRecord record = Assert.Single(StateChanges(host, "judged"));
        Assert.Equal(LogLevel.Error, record.Level);
        Assert.Equal("ShouldHandleFailed", record.Id.Name);
        Assert.Equal(
            "Circuit breaker 'judged': ShouldHandle threw while judging a System.TimeoutException; the call counts as a failure.",
            record.Message);
        Assert.Equal("predicate bug", record.Exception?.Message);
    }

    [Fact]
    public async Task A_BreakDurationHook_that_throws_is_logged_as_an_error_with_the_break_used_instead()
    {
        await using TestHost host = await TestHost.StartAsync(Settings);
        CircuitBreaker breaker = host.Registry.GetOrAdd("hooked", static o =>
        {
            o.ConsecutiveFailureThreshold = 1;
            o.BreakDuration = TimeSpan.FromSeconds(20);
            o.BreakDurationHook = static _ => throw new FormatException("hook bug");
        });

        Assert.Throws<InvalidOperationException>(() => breaker.Execute(static () => throw new InvalidOperationException("down")));

        Assert.Equal(CircuitState.Open, breaker.State);
        FakeLogRecord record = Assert.Single(StateChanges(host, "hooked"), static r => r.Id.Name == "BreakDurationHookFailed");
        Assert.Equal(LogLevel.Error, record.Level);
        Assert.Equal("Circuit breaker 'hooked': its BreakDurationHook failed; it opened for 00:00:20, the break it has without the hook.", record.Message);
        Assert.Equal("hook bug", record.Exception?.Message);
        Assert.Contains(StateChanges(host, "hooked"), static r => r.Id.Name == "Opened" && r.Message.Contains("00:00:20", StringComparison.Ordinal));
    }

    private static FakeLogRecord[] StateChanges(TestHost host, string breakerName) =>
        host.Logs.GetSnapshot()
            .Where(r => r.Category == "Breaker.CircuitBreaker" && r.Message.Contains($"'{breakerName}'", StringComparison.Ordinal))
            .ToArray();
}
