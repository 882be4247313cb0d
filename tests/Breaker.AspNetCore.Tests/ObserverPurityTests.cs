using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Breaker.AspNetCore.Tests.Infrastructure;
using Breaker.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.AspNetCore.Tests;

/// <summary>
/// Everything that observes a breaker (the monitor's endpoints over HTTP, the health check, the state gauge, the registry
/// summary, State and GetMetrics), polled across the end of a break: none of it may move the breaker; the first call does.
/// </summary>
public sealed class ObserverPurityTests
{
    private static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(500);

    private readonly FakeTimeProvider _time = new();
    private readonly CircuitBreakerRegistry _registry;

    public ObserverPurityTests() => _registry = new CircuitBreakerRegistry(_time);

    [Fact]
    public async Task Polling_every_observer_across_the_end_of_a_break_changes_nothing_until_a_call_arrives()
    {
        // The meter is process-wide: a name no other test uses keeps other breakers' measurements out.
        string name = "observed-" + Guid.NewGuid().ToString("N");
        _registry.GetOrAdd("fine");
        CircuitBreaker breaker = _registry.GetOrAdd(name, options =>
        {
            Calls.Sensitive()(options);
            options.BreakDuration = BreakDuration;
        });
        Calls.Fail(breaker, 2);
        CircuitBreakerMetrics opened = breaker.GetMetrics();
        Assert.Equal(CircuitState.Open, opened.State);

        var events = new List<string>();
        breaker.StateChanged += (_, e) => events.Add($"{e.From}->{e.To}");
        breaker.CallRejected += (_, _) => events.Add("rejected");
        breaker.CallSucceeded += (_, _) => events.Add("succeeded");
        breaker.CallFailed += (_, _) => events.Add("failed");
        using var meter = new BreakerMeterListener(name);
        await using MonitorServer server = await MonitorServer.StartAsync(
            _registry,
            static app => app.MapCircuitBreakerMonitor(),
            static services => services.AddHealthChecks().AddCircuitBreakers());
        HealthCheckService health = server.Services.GetRequiredService<HealthCheckService>();

        IReadOnlyList<CircuitBreakerEvent> history = breaker.GetRecentEvents();
        var seen = new List<string>();
        for (int step = 0; step < 2 * BreakDuration / Step; step++)
        {
            _time.Advance(Step);
            JsonNode summary = await GetAsync(server, "circuit-breakers");
            JsonNode one = await GetAsync(server, "circuit-breakers/" + name);
            JsonNode recent = await GetAsync(server, "circuit-breakers/events");
            JsonNode itsEvents = await GetAsync(server, "circuit-breakers/" + name + "/events");
            JsonNode rates = await GetAsync(server, "circuit-breakers/" + name + "/history");
            JsonNode totals = await GetAsync(server, "circuit-breakers/metrics");
            JsonNode monitorHealth = await GetAsync(server, "circuit-breakers/health");
            HealthReport report = await health.CheckHealthAsync();
            meter.ObserveGauge();
            CircuitBreakerRegistrySummary registrySummary = _registry.GetSummary();
            CircuitBreakerMetrics metrics = breaker.GetMetrics();

            string state = (string)one["state"]!;
            seen.Add(state);
            Assert.Equal(state, (string)summary["breakers"]!.AsArray().Single(b => (string)b!["name"]! == name)!["state"]!);
            Assert.Equal(state, (string)totals["openBreakers"]![name]!);
            Assert.Equal(state, (string)monitorHealth["openBreakers"]![name]!);
            Assert.Equal("Degraded", (string)monitorHealth["status"]!);
            Assert.Equal(state, report.Entries["circuit-breakers"].Data[name]);
            Assert.Equal(state, registrySummary.Breakers.Single(b => b.Name == name).State.ToString());
            Assert.Equal(state, breaker.State.ToString());
            Assert.Equal(state == "HalfOpen", (bool)one["metrics"]!["awaitingProbe"]!);
            Assert.Equal(opened with { State = metrics.State, AwaitingProbe = metrics.AwaitingProbe, RetryAfter = metrics.RetryAfter }, metrics);
            Assert.Equal(history, breaker.GetRecentEvents());
            Assert.Equal(["StateChanged"], itsEvents["events"]!.AsArray().Select(e => (string)e!["kind"]!));
            Assert.Equal(1, recent["events"]!.AsArray().Count(e => (string)e!["breaker"]! == name));
            Assert.All(rates["samples"]!.AsArray(), s => Assert.Equal(1.0, (double)s!["failureRate"]!));
        }

        int steps = seen.Count;
        int openSteps = (int)(BreakDuration / Step) - 1;
        Assert.Equal([.. Enumerable.Repeat("Open", openSteps), .. Enumerable.Repeat("HalfOpen", steps - openSteps)], seen);
        Assert.Equal([.. Enumerable.Repeat((int)CircuitState.Open, openSteps), .. Enumerable.Repeat((int)CircuitState.HalfOpen, steps - openSteps)], meter.Gauge);
        Assert.Empty(events);
        Assert.Empty(meter.Counted);
        JsonNode waiting = (await GetAsync(server, "circuit-breakers/" + name))["metrics"]!;
        Assert.Equal((1L, 0L, 0L), ((long)waiting["circuitOpens"]!, (long)waiting["halfOpenAttempts"]!, (long)waiting["rejectedCalls"]!));
        Assert.Null(waiting["retryAfterMs"]);

        // The first call after the break starts the half-open period: one transition, one event, one probe.
        CircuitPermit probe = breaker.TryAcquire();

        Assert.True(probe.IsGranted);
        Assert.Equal(["Open->HalfOpen"], events);
        Assert.Equal(["breaker.state.transitions open->half_open"], meter.Counted);
        JsonNode probing = await GetAsync(server, "circuit-breakers/" + name);
        Assert.Equal("HalfOpen", (string)probing["state"]!);
        Assert.False((bool)probing["metrics"]!["awaitingProbe"]!);
        Assert.Equal(1, (long)probing["metrics"]!["halfOpenAttempts"]!);
        probe.RecordSuccess();
    }

    private static async Task<JsonNode> GetAsync(MonitorServer server, string path)
    {
        using HttpResponseMessage response = await server.Client.GetAsync(path);
        return await response.ReadJsonAsync();
    }
}
