using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Breaker.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.AspNetCore.Tests;

/// <summary>
/// What watching breakers costs, over HTTP on a real server: the history reads only the breakers something happened to (or
/// whose window may still age) and keeps a keyed group as one series; the events feed refuses a bad query before reading
/// any breaker. The clock counts reads: a breaker reads its clock for each status, metrics or ongoing rejections it reports.
/// They run alone: the Breaker meter is process-wide, so another test's meter listener collecting at the same time reads
/// every live breaker, these included, and its reads would be counted here.
/// </summary>
[Collection(ClockReadingCollection.Name)]
public sealed class MonitorCostTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task A_keyed_group_is_one_history_series_that_each_key_answers_with()
    {
        var registry = new CircuitBreakerRegistry(_time);
        CircuitBreakerKeys<string> tenants = registry.GetOrAddGroup<string>("tenants", Calls.Sensitive(minimumThroughput: 10));
        Calls.Fail(tenants.GetBreaker("a"), 1);
        Calls.Succeed(tenants.GetBreaker("a"), 1);
        Calls.Succeed(tenants.GetBreaker("b"), 2);
        await using MonitorServer server = await MonitorServer.StartAsync(registry, static app => app.MapCircuitBreakerMonitor());
        Calls.Pass(_time, TimeSpan.FromSeconds(2));
        Calls.Fail(tenants.GetBreaker("b"), 2);
        Calls.Pass(_time, TimeSpan.FromSeconds(2));

        JsonNode a = await GetAsync(server, "circuit-breakers/tenants:a/history");
        JsonNode b = await GetAsync(server, "circuit-breakers/tenants:b/history");

        // 1 failure in 4 calls over both keys, then 3 in 6.
        Assert.Equal("tenants:a", (string)a["name"]!);
        Assert.Equal("tenants", (string)a["group"]!);
        Assert.Equal(["2000:0.25", "0:0.5"], Samples(a));
        Assert.Equal("tenants", (string)b["group"]!);
        Assert.Equal(Samples(a), Samples(b));
    }

    [Fact]
    public async Task The_history_skips_breakers_nothing_happened_to_and_still_shows_every_round_and_each_change()
    {
        var clock = new ReadCountingClock(_time);
        var registry = new CircuitBreakerRegistry(clock);
        CircuitBreaker busy = registry.GetOrAdd("busy", Calls.Sensitive(minimumThroughput: 10));
        for (int i = 0; i < 100; i++)
        {
            registry.GetOrAdd("idle-" + i);
        }

        await using MonitorServer server = await MonitorServer.StartAsync(registry, static app => app.MapCircuitBreakerMonitor());
        Calls.Pass(_time, TimeSpan.FromSeconds(2));
        long before = clock.Reads;
        Calls.Pass(_time, TimeSpan.FromSeconds(6));

        // Three rounds over 101 breakers nothing happened to: each round reads the clock once for its own time, no breaker.
        Assert.Equal(3, clock.Reads - before);

        Calls.Fail(busy, 1);
        Calls.Succeed(busy, 1);
        Calls.Pass(_time, TimeSpan.FromSeconds(2));
        busy.Reset();
        Calls.Pass(_time, TimeSpan.FromSeconds(2));

        Assert.Equal(["10000:0", "8000:0", "6000:0", "4000:0", "2000:0.5", "0:0"], Samples(await GetAsync(server, "circuit-breakers/busy/history")));
        Assert.Equal(Enumerable.Repeat("0", 6), Samples(await GetAsync(server, "circuit-breakers/idle-7/history")).Select(static s => s.Split(':')[1]));
        Assert.Null((await GetAsync(server, "circuit-breakers/idle-7/history"))["group"]);
    }

    [Fact]
    public async Task A_time_window_whose_calls_age_out_is_sampled_until_its_rate_is_back_to_zero()
    {
        var registry = new CircuitBreakerRegistry(_time);
        CircuitBreaker window = registry.GetOrAdd("window", options =>
        {
            options.MinimumThroughput = 10;
            options.SamplingDuration = TimeSpan.FromSeconds(5);
        });
        await using MonitorServer server = await MonitorServer.StartAsync(registry, static app => app.MapCircuitBreakerMonitor());
        Calls.Fail(window, 1);
        Calls.Succeed(window, 1);
        Calls.Pass(_time, TimeSpan.FromSeconds(10));

        string[] samples = Samples(await GetAsync(server, "circuit-breakers/window/history"));

        // No call after the first second: the rate holds while the calls are in the window, then falls to 0 by ageing alone.
        Assert.Equal(5, samples.Length);
        Assert.StartsWith("8000:0.5", samples[0], StringComparison.Ordinal);
        Assert.Equal("0:0", samples[^1]);
    }

    [Theory]
    [InlineData("circuit-breakers/events?limit=0")]
    [InlineData("circuit-breakers/events?limit=25&limit=26")]
    [InlineData("circuit-breakers/events?offset=x")]
    public async Task A_bad_events_query_is_refused_before_any_breaker_is_read(string path)
    {
        var clock = new ReadCountingClock(_time);
        var registry = new CircuitBreakerRegistry(clock);
        for (int i = 0; i < 50; i++)
        {
            // Open and rejecting: reading its events reads the clock (the ongoing rejections are timed now).
            CircuitBreaker breaker = registry.GetOrAdd("rejecting-" + i, Calls.Sensitive());
            Calls.Fail(breaker, 3);
        }

        await using MonitorServer server = await MonitorServer.StartAsync(registry, static app => app.MapCircuitBreakerMonitor());
        long before = clock.Reads;

        using HttpResponseMessage refused = await server.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(before, clock.Reads);
        JsonNode answered = await GetAsync(server, "circuit-breakers/events?limit=25");
        Assert.Equal(25, answered["events"]!.AsArray().Count);
        Assert.True(clock.Reads > before, "A good query reads the breakers' events.");
    }

    private static string[] Samples(JsonNode history) =>
        [.. history["samples"]!.AsArray().Select(s => $"{(double)s!["ageMs"]!}:{(double)s["failureRate"]!}")];

    private static async Task<JsonNode> GetAsync(MonitorServer server, string path)
    {
        using HttpResponseMessage response = await server.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadJsonAsync();
    }
}
