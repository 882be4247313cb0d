using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Breaker.AspNetCore.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.AspNetCore.Tests;

/// <summary>Keyed groups in the monitor: one entry per group (its keys by state, its worst keys), and pages of a group's keys on request.</summary>
public sealed class MonitorGroupTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly CircuitBreakerRegistry _registry;

    public MonitorGroupTests() => _registry = new CircuitBreakerRegistry(_time);

    [Fact]
    public async Task A_group_is_one_entry_with_its_keys_by_state_and_its_worst_keys_and_its_keys_stay_off_the_page()
    {
        CircuitBreakerKeys<int> tenants = _registry.GetOrAddGroup<int>("tenants", static o => { o.MaxKeys = 1_000; o.MinimumThroughput = 2; o.SlidingWindowSize = 10; });
        for (int key = 0; key < 1_000; key++)
        {
            Calls.Succeed(tenants.GetBreaker(key), 1);
        }

        Calls.Fail(tenants.GetBreaker(7), 1);
        Calls.Fail(tenants.GetBreaker(42), 1);
        Calls.Succeed(tenants.GetBreaker(9), 1);
        Calls.Fail(tenants.GetBreaker(9), 1); // closed, one failure of three: the closest to opening
        Calls.Succeed(tenants.GetBreaker(1_000), 1); // the group is full: the shared breaker
        Calls.Fail(_registry.GetOrAdd("quotes", Calls.Sensitive()), 2);
        await using MonitorServer server = await MonitorServer.StartAsync(_registry, app => app.MapCircuitBreakerMonitor());

        JsonNode summary = await (await server.Client.GetAsync("circuit-breakers?order=worst&limit=24")).ReadJsonAsync();

        Assert.Equal(1_002, (int)summary["total"]!);
        Assert.Equal(3, (int)summary["countsByState"]!["open"]!);
        Assert.Equal(1, (int)summary["pagedBreakers"]!);
        Assert.Equal(["quotes"], summary["breakers"]!.AsArray().Select(static b => (string)b!["name"]!));
        JsonNode group = Assert.Single(summary["groups"]!.AsArray())!;
        Assert.Equal(("tenants", 1_000, 1_000), ((string)group["name"]!, (int)group["keys"]!, (int)group["maxKeys"]!));
        Assert.Equal((998, 2), ((int)group["countsByState"]!["closed"]!, (int)group["countsByState"]!["open"]!));
        Assert.Equal(["tenants:42", "tenants:7", "tenants:9", "tenants:0", "tenants:1"], group["worstKeys"]!.AsArray().Select(static b => (string)b!["name"]!));
        Assert.Equal("tenants:*", (string)group["sharedBreaker"]!["name"]!);
        Assert.Equal(1, (long)group["sharedCalls"]!);
        Assert.Equal(0, (long)group["evictions"]!);
    }

    [Fact]
    public async Task A_groups_keys_are_paged_on_request_and_the_next_page_stays_in_the_group()
    {
        CircuitBreakerKeys<string> hosts = _registry.GetOrAddGroup<string>("hosts/eu");
        for (int i = 0; i < 150; i++)
        {
            hosts.GetBreaker($"h{i:D3}.example.com");
        }

        _registry.GetOrAdd("alone");
        await using MonitorServer server = await MonitorServer.StartAsync(_registry, app => app.MapCircuitBreakerMonitor());

        JsonNode first = await (await server.Client.GetAsync("circuit-breakers?group=hosts%2Feu")).ReadJsonAsync();
        JsonNode second = await (await server.Client.GetAsync(((string)first["next"]!).TrimStart('/'))).ReadJsonAsync();

        Assert.Equal(("hosts/eu", 150), ((string)first["group"]!, (int)first["pagedBreakers"]!));
        Assert.Equal("/circuit-breakers?order=name&offset=100&limit=100&group=hosts%2Feu", (string)first["next"]!);
        Assert.Equal(150, first["breakers"]!.AsArray().Concat(second["breakers"]!.AsArray()).Select(static b => (string)b!["name"]!).Distinct().Count());
        Assert.All(second["breakers"]!.AsArray(), static b => Assert.StartsWith("hosts/eu:", (string)b!["name"]!, StringComparison.Ordinal));
        Assert.Null(second["next"]);
    }

    [Fact]
    public async Task An_unknown_group_is_a_404_problem_that_echoes_only_the_start_of_the_name()
    {
        await using MonitorServer server = await MonitorServer.StartAsync(_registry, app => app.MapCircuitBreakerMonitor());

        HttpResponseMessage response = await server.Client.GetAsync("circuit-breakers?group=" + new string('g', 6_000));
        JsonNode problem = await response.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Keyed group not found", (string)problem["title"]!);
        Assert.True(((string)problem["detail"]!).Length < 300);
    }

    [Fact]
    public async Task Health_and_totals_name_a_rejecting_group_once_not_each_of_its_keys()
    {
        CircuitBreakerKeys<int> tenants = _registry.GetOrAddGroup<int>("tenants", static o => o.ConsecutiveFailureThreshold = 1);
        for (int key = 0; key < 300; key++)
        {
            Calls.Fail(tenants.GetBreaker(key), 1);
        }

        tenants.GetBreaker(300);
        Calls.Fail(_registry.GetOrAdd("quotes", Calls.Sensitive()), 2);
        await using MonitorServer server = await MonitorServer.StartAsync(_registry, app => app.MapCircuitBreakerMonitor());

        JsonNode health = await (await server.Client.GetAsync("circuit-breakers/health")).ReadJsonAsync();
        JsonNode totals = await (await server.Client.GetAsync("circuit-breakers/metrics")).ReadJsonAsync();

        Assert.Equal("Degraded", (string)health["status"]!);
        Assert.Equal(301, (int)health["countsByState"]!["open"]!);
        Assert.Equal(["quotes", "tenants"], health["openBreakers"]!.AsObject().Select(static p => p.Key));
        Assert.Equal("Open", (string)health["openBreakers"]!["tenants"]!);
        Assert.Equal(["quotes", "tenants"], totals["openBreakers"]!.AsObject().Select(static p => p.Key));
    }
}
