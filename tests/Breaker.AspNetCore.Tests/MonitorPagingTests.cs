using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Breaker.AspNetCore.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.AspNetCore.Tests;

/// <summary><c>GET {prefix}</c> at scale: counts over every breaker, one bounded page of breakers, a summary view.</summary>
public sealed class MonitorPagingTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly CircuitBreakerRegistry _registry;

    public MonitorPagingTests() => _registry = new CircuitBreakerRegistry(_time);

    [Fact]
    public async Task Pages_by_name_cover_every_breaker_once_and_say_where_the_next_page_is()
    {
        for (int i = 249; i >= 0; i--)
        {
            _registry.GetOrAdd($"b-{i:D3}");
        }

        await using MonitorServer server = await MonitorServer.StartAsync(_registry, app => app.MapCircuitBreakerMonitor());
        var names = new List<string>();
        var nexts = new List<string?>();
        string? next = "circuit-breakers?limit=100";
        while (next is not null)
        {
            JsonNode page = await (await server.Client.GetAsync(next.TrimStart('/'))).ReadJsonAsync();
            Assert.Equal(250, (int)page["total"]!);
            Assert.Equal(100, (int)page["limit"]!);
            names.AddRange(page["breakers"]!.AsArray().Select(b => (string)b!["name"]!));
            next = (string?)page["next"];
            nexts.Add(next);
        }

        Assert.Equal(Enumerable.Range(0, 250).Select(i => $"b-{i:D3}"), names);
        Assert.Equal(["/circuit-breakers?order=name&offset=100&limit=100", "/circuit-breakers?order=name&offset=200&limit=100", null], nexts);
    }

    [Fact]
    public async Task Without_a_limit_a_page_holds_100_breakers()
    {
        for (int i = 0; i < 150; i++)
        {
            _registry.GetOrAdd($"b-{i:D3}");
        }

        await using MonitorServer server = await MonitorServer.StartAsync(_registry, app => app.MapCircuitBreakerMonitor());

        JsonNode page = await (await server.Client.GetAsync("circuit-breakers")).ReadJsonAsync();

        Assert.Equal(150, (int)page["total"]!);
        Assert.Equal(100, page["breakers"]!.AsArray().Count);
        Assert.Equal(150, (int)page["countsByState"]!["closed"]!);
        Assert.Equal("/circuit-breakers?order=name&offset=100&limit=100", (string?)page["next"]);
    }

    [Fact]
    public async Task Worst_order_puts_rejecting_breakers_first_then_the_closest_to_opening()
    {
        Calls.Succeed(_registry.GetOrAdd("a-calm", Calls.Sensitive(minimumThroughput: 20)), 10);
        CircuitBreaker near = _registry.GetOrAdd("b-near", Calls.Sensitive(minimumThroughput: 20));
        Calls.Succeed(near, 6);
        Calls.Fail(near, 4);
        Calls.Fail(_registry.GetOrAdd("c-open", Calls.Sensitive()), 2);
        _registry.GetOrAdd("d-isolated").Isolate();
        CircuitBreaker probing = _registry.GetOrAdd("e-half-open", Calls.Sensitive());
        Calls.Fail(probing, 2);
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(probing.TryAcquire().IsGranted);
        _registry.GetOrAdd("f-dry-run").SetMetricsOnly(true);
        await using MonitorServer server = await MonitorServer.StartAsync(_registry, app => app.MapCircuitBreakerMonitor());

        JsonNode all = await (await server.Client.GetAsync("circuit-breakers?order=worst")).ReadJsonAsync();
        JsonNode top = await (await server.Client.GetAsync("circuit-breakers?order=worst&limit=3")).ReadJsonAsync();

        Assert.Equal(
            ["c-open", "e-half-open", "d-isolated", "f-dry-run", "b-near", "a-calm"],
            all["breakers"]!.AsArray().Select(b => (string)b!["name"]!));
        Assert.Equal("worst", (string)all["order"]!);
        Assert.Equal(["c-open", "e-half-open", "d-isolated"], top["breakers"]!.AsArray().Select(b => (string)b!["name"]!));
        Assert.Equal("/circuit-breakers?order=worst&offset=3&limit=3", (string?)top["next"]);
    }

    [Fact]
    public async Task The_summary_view_answers_the_counts_alone()
    {
        Calls.Fail(_registry.GetOrAdd("payments", Calls.Sensitive()), 2);
        _registry.GetOrAdd("search");
        await using MonitorServer server = await MonitorServer.StartAsync(_registry, app => app.MapCircuitBreakerMonitor());

        JsonNode summary = await (await server.Client.GetAsync("circuit-breakers?view=summary")).ReadJsonAsync();

        Assert.Equal(2, (int)summary["total"]!);
        Assert.False((bool)summary["allClosed"]!);
        Assert.Equal(1, (int)summary["countsByState"]!["open"]!);
        Assert.Equal(1, (int)summary["countsByState"]!["closed"]!);
        Assert.Empty(summary["breakers"]!.AsArray());
        Assert.Equal(0, (int)summary["limit"]!);
        Assert.Null(summary["next"]);
    }

    [Fact]
    public async Task An_offset_past_the_end_gives_an_empty_last_page()
    {
        _registry.GetOrAdd("search");
        await using MonitorServer server = await MonitorServer.StartAsync(_registry, app => app.MapCircuitBreakerMonitor());

        JsonNode page = await (await server.Client.GetAsync("circuit-breakers?offset=2147483647&limit=1000")).ReadJsonAsync();

        Assert.Empty(page["breakers"]!.AsArray());
        Assert.Null(page["next"]);
        Assert.Equal(1, (int)page["total"]!);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1001", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("limit=-1", "limit")]
    [InlineData("limit=99999999999", "limit")]
    [InlineData("limit=%2B5", "limit")]
    [InlineData("limit=5&limit=6", "limit")]
    [InlineData("offset=-1", "offset")]
    [InlineData("offset=1.5", "offset")]
    [InlineData("order=best", "order")]
    [InlineData("order=WORST", "order")]
    [InlineData("view=all", "view")]
    [InlineData("group=", "group")]
    [InlineData("group=tenants&group=hosts", "group")]
    public async Task A_bad_summary_query_is_a_400_problem_naming_the_parameter(string query, string parameter)
    {
        _registry.GetOrAdd("search");
        await using MonitorServer server = await MonitorServer.StartAsync(_registry, app => app.MapCircuitBreakerMonitor());

        HttpResponseMessage response = await server.Client.GetAsync("circuit-breakers?" + query);
        JsonNode problem = await response.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"'{parameter}'", (string)problem["detail"]!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("circuit-breakers/metrics")]
    [InlineData("circuit-breakers/health")]
    public async Task Health_and_metrics_name_at_most_100_rejecting_breakers_and_count_them_all(string path)
    {
        for (int i = 0; i < 150; i++)
        {
            _registry.GetOrAdd($"b-{i:D3}").Isolate();
        }

        await using MonitorServer server = await MonitorServer.StartAsync(_registry, app => app.MapCircuitBreakerMonitor());

        JsonNode json = await (await server.Client.GetAsync(path)).ReadJsonAsync();

        Assert.Equal(150, (int)json["countsByState"]!["isolated"]!);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"b-{i:D3}"), json["openBreakers"]!.AsObject().Select(p => p.Key));
    }
}
