using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Breaker.AspNetCore.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.AspNetCore.Tests;

public sealed class MonitorEndpointTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly CircuitBreakerRegistry _registry;

    public MonitorEndpointTests() => _registry = new CircuitBreakerRegistry(_time);

    [Fact]
    public async Task Summary_lists_every_breaker_by_name_with_state_options_and_metrics()
    {
        Calls.Succeed(_registry.GetOrAdd("search"), 3);
        Calls.Fail(_registry.GetOrAdd("payments", Calls.Sensitive()), 2);
        await using MonitorServer server = await MonitorServer.StartAsync(_registry, app => app.MapCircuitBreakerMonitor());

        HttpResponseMessage response = await server.Client.GetAsync("circuit-breakers");
        JsonNode json = await response.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(2, (int)json["total"]!);
        Assert.False((bool)json["allClosed"]!);
        Assert.Equal(1, (int)json["countsByState"]!["closed"]!);
        Assert.Equal(1, (int)json["countsByState"]!["open"]!);
        Assert.Null(json["management"]);
        JsonArray breakers = json["breakers"]!.AsArray();
        Assert.Equal(["payments", "search"], breakers.Select(b => (string)b!["name"]!));
        Assert.Equal("Open", (string)breakers[0]!["state"]!);
        Assert.Equal(2, (long)breakers[0]!["metrics"]!["failedCalls"]!);
        Assert.Equal(1.0, (double)breakers[0]!["metrics"]!["failureRate"]!);
        Assert.Equal(60_000, (double)breakers[0]!["metrics"]!["retryAfterMs"]!);
        Assert.Equal(2, (int)breakers[0]!["options"]!["minimumThroughput"]!);
        Assert.Equal("Closed", (string)breakers[1]!["state"]!);
        Assert.Equal(3, (long)breakers[1]!["metrics"]!["successfulCalls"]!);
        Assert.Null(breakers[1]!["metrics"]!["retryAfterMs"]);
    }

    [Fact]
    public async Task A_declared_breaker_is_listed_before_its_first_call()
    {
        _registry.Declare(new CircuitBreakerDeclaration("declared", new CircuitBreakerOptions { FailureRatio = 0.2 }) { DeclaringType = "Shop.Stock", MethodName = "Count" });
        await using MonitorServer server = await MonitorServer.StartAsync(_registry, app => app.MapCircuitBreakerMonitor());

        JsonNode summary = await (await server.Client.GetAsync("circuit-breakers")).ReadJsonAsync();
        HttpResponseMessage one = await server.Client.GetAsync("circuit-breakers/declared");

        JsonNode listed = summary["breakers"]!.AsArray().Single()!;
        Assert.Equal(("declared", "Closed"), ((string)listed["name"]!, (string)listed["state"]!));
        Assert.Equal(0.2, (double)listed["options"]!["failureRatio"]!);
        Assert.Equal(0, (long)listed["metrics"]!["totalCalls"]!);
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
    }

    [Fact]
    public async Task Breaker_endpoint_gives_its_state_options_and_metrics()
    {
        CircuitBreaker quotes = _registry.GetOrAdd("quotes", options =>
        {
            options.FailureRatio = 0.25;
            options.BreakDuration = TimeSpan.FromSeconds(30);
            options.SamplingDuration = TimeSpan.FromSeconds(10);
        });
        Calls.Timed(quotes, _time, TimeSpan.FromMilliseconds(40), fails: false);
        Calls.Timed(quotes, _time, TimeSpan.FromMilliseconds(20), fails: true);
        await using MonitorServer server = await MonitorServer.StartAsync(_registry, app => app.MapCircuitBreakerMonitor());

        HttpResponseMessage response = await server.Client.GetAsync("circuit-breakers/quotes");
        JsonNode json = await response.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("quotes", (string)json["name"]!);
        Assert.Equal("Closed", (string)json["state"]!);
        Assert.Equal(0.25, (double)json["options"]!["failureRatio"]!);
        Assert.Equal(30_000, (double)json["options"]!["breakDurationMs"]!);
        Assert.Equal(10_000, (double)json["options"]!["samplingDurationMs"]!);
        Assert.Equal(2, (long)json["metrics"]!["totalCalls"]!);
        Assert.Equal(1, (long)json["metrics"]!["failedCalls"]!);
        Assert.Equal(0.5, (double)json["metrics"]!["failureRate"]!);
        Assert.Equal(30, (double)json["metrics"]!["averageDurationMs"]!);
    }

    [Fact]
    public async Task A_coordinated_breaker_shows_whether_it_follows_the_fleet_and_who_probes_for_it()
    {
        CircuitBreaker quotes = _registry.GetOrAdd("quotes");
        _registry.GetOrAdd("search");
        var coordinator = new StatusCoordinator(new CoordinationStatus
        {
            InstanceId = "web-2",
            IsCoordinating = false,
            SharedState = CircuitState.HalfOpen,
            ProbeLeaseHolder = "web-7",
        });
        quotes.Coordinator = coordinator;
        await using MonitorServer server = await MonitorServer.StartAsync(_registry, app => app.MapCircuitBreakerMonitor());

        JsonNode one = await (await server.Client.GetAsync("circuit-breakers/quotes")).ReadJsonAsync();
        JsonNode all = await (await server.Client.GetAsync("circuit-breakers")).ReadJsonAsync();

        JsonNode coordination = one["coordination"]!;
        Assert.Equal("web-2", (string)coordination["instanceId"]!);
        Assert.False((bool)coordination["isCoordinating"]!);
        Assert.Equal("HalfOpen", (string)coordination["sharedState"]!);
        Assert.Equal("web-7", (string)coordination["probeLeaseHolder"]!);
        JsonArray breakers = all["breakers"]!.AsArray();
        Assert.Equal("web-7", (string)breakers.Single(b => (string)b!["name"]! == "quotes")!["coordination"]!["probeLeaseHolder"]!);
        Assert.Null(breakers.Single(b => (string)b!["name"]! == "search")!["coordination"]);

        // Serving the monitor asked the coordinator for its status only, never for a probe.
        Assert.Equal(0, coordinator.ProbeRequests);
        Assert.Equal(CircuitState.Closed, quotes.State);
    }

    [Fact]
    public async Task Breaker_names_are_matched_after_url_decoding()
    {
        _registry.GetOrAdd("quotes v2 (eu)");
        await using MonitorServer server = await MonitorServer.StartAsync(_registry, app => app.MapCircuitBreakerMonitor());

        JsonNode json = await (await server.Client.GetAsync("circuit-breakers/" + Uri.EscapeDataString("quotes v2 (eu)"))).ReadJsonAsync();

        Assert.Equal("quotes v2 (eu)", (string)json["name"]!);
    }

    [Fact]
    public async Task Unknown_breaker_gives_404_problem_details()
    {
        await using MonitorServer server = await MonitorServer.StartAsync(_registry, app => app.MapCircuitBreakerMonitor());

        HttpResponseMessage response = await server.Client.GetAsync("circuit-breakers/nope");
        JsonNode problem = await response.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(404, (int)problem["status"]!);
        Assert.Equal("https://tools.ietf.org/html/rfc9110#section-15.5.5", (string)problem["type"]!);
        Assert.Equal("Circuit breaker not found", (string)problem["title"]!);
        Assert.Contains("'nope'", (string)problem["detail"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_endpoint_adds_up_every_breaker_and_names_the_open_ones()
    {
        Calls.Succeed(_registry.GetOrAdd("search"), 6);
        Calls.Fail(_registry.GetOrAdd("payments", Calls.Sensitive()), 2);
        Calls.Fail(_registry.GetOrAdd("payments"), 3);
        _registry.GetOrAdd("legacy").Isolate();
        await using MonitorServer server = await MonitorServer.StartAsync(_registry, app => app.MapCircuitBreakerMonitor());

        HttpResponseMessage response = await server.Client.GetAsync("circuit-breakers/metrics");
        JsonNode json = await response.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, (int)json["breakers"]!);
        Assert.Equal(11, (long)json["totalCalls"]!);
        Assert.Equal(6, (long)json["successfulCalls"]!);
        Assert.Equal(2, (long)json["failedCalls"]!);
        Assert.Equal(3, (long)json["rejectedCalls"]!);
        Assert.Equal(1, (long)json["circuitOpens"]!);
        Assert.Equal(0.25, (double)json["failureRate"]!);
        Assert.Equal(1, (int)json["countsByState"]!["isolated"]!);
        JsonObject open = json["openBreakers"]!.AsObject();
        Assert.Equal(["legacy", "payments"], open.Select(p => p.Key));
        Assert.Equal("Isolated", (string)open["legacy"]!);
        Assert.Equal("Open", (string)open["payments"]!);
    }

    [Fact]
    public async Task Health_is_healthy_while_every_breaker_lets_calls_through()
    {
        _registry.GetOrAdd("search");
        _registry.GetOrAdd("dry-run").SetMetricsOnly(true);
        await using MonitorServer server = await MonitorServer.StartAsync(_registry, app => app.MapCircuitBreakerMonitor());

        HttpResponseMessage response = await server.Client.GetAsync("circuit-breakers/health");
        JsonNode json = await response.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", (string)json["status"]!);
        Assert.Equal(2, (int)json["total"]!);
        Assert.Empty(json["openBreakers"]!.AsObject());
    }

    [Fact]
    public async Task Health_is_degraded_when_some_breakers_reject_calls()
    {
        _registry.GetOrAdd("search");
        Calls.Fail(_registry.GetOrAdd("payments", Calls.Sensitive()), 2);
        await using MonitorServer server = await MonitorServer.StartAsync(_registry, app => app.MapCircuitBreakerMonitor());

        HttpResponseMessage response = await server.Client.GetAsync("circuit-breakers/health");
        JsonNode json = await response.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Degraded", (string)json["status"]!);
        Assert.Equal("Open", (string)json["openBreakers"]!["payments"]!);
    }

    [Fact]
    public async Task Health_is_unhealthy_with_503_when_every_breaker_rejects_calls()
    {
        Calls.Fail(_registry.GetOrAdd("payments", Calls.Sensitive()), 2);
        _registry.GetOrAdd("legacy").Isolate();
        await using MonitorServer server = await MonitorServer.StartAsync(_registry, app => app.MapCircuitBreakerMonitor());

        HttpResponseMessage response = await server.Client.GetAsync("circuit-breakers/health");
        JsonNode json = await response.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("Unhealthy", (string)json["status"]!);
        Assert.Equal(2, json["openBreakers"]!.AsObject().Count);
    }

    [Fact]
    public async Task Dashboard_is_a_self_contained_page_locked_down_by_its_content_security_policy()
    {
        await using MonitorServer server = await MonitorServer.StartAsync(_registry, app => app.MapCircuitBreakerMonitor());

        HttpResponseMessage response = await server.Client.GetAsync("circuit-breakers/dashboard");
        string html = await response.Content.ReadAsStringAsync();
        string policy = string.Join(" ", response.Headers.GetValues("Content-Security-Policy"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<title>Circuit breakers</title>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("innerHTML", html, StringComparison.Ordinal);
        Assert.DoesNotContain("src=\"http", html, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("script-src 'sha256-", policy, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fixed_routes_win_over_a_breaker_name_and_every_route_follows_the_prefix()
    {
        Calls.Succeed(_registry.GetOrAdd("search"), 1);
        await using MonitorServer server = await MonitorServer.StartAsync(_registry, app => app.MapCircuitBreakerMonitor("/ops/breakers"));

        JsonNode totals = await (await server.Client.GetAsync("ops/breakers/metrics")).ReadJsonAsync();
        JsonNode health = await (await server.Client.GetAsync("ops/breakers/health")).ReadJsonAsync();
        HttpResponseMessage dashboard = await server.Client.GetAsync("ops/breakers/dashboard");
        JsonNode search = await (await server.Client.GetAsync("ops/breakers/search")).ReadJsonAsync();
        HttpResponseMessage old = await server.Client.GetAsync("circuit-breakers");

        Assert.Equal(1, (long)totals["totalCalls"]!);
        Assert.Equal("Healthy", (string)health["status"]!);
        Assert.Equal("text/html", dashboard.Content.Headers.ContentType?.MediaType);
        Assert.Equal("search", (string)search["name"]!);
        Assert.Equal(HttpStatusCode.NotFound, old.StatusCode);
    }

    [Fact]
    public async Task Without_a_registry_in_dependency_injection_the_default_registry_is_shown()
    {
        string name = "default-registry-" + Guid.NewGuid().ToString("N");
        CircuitBreakerRegistry.Default.GetOrAdd(name);
        await using MonitorServer server = await MonitorServer.StartAsync(registry: null, app => app.MapCircuitBreakerMonitor());

        HttpResponseMessage response = await server.Client.GetAsync("circuit-breakers/" + name);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(name, (string)(await response.ReadJsonAsync())["name"]!);
    }

    [Fact]
    public async Task The_registry_in_dependency_injection_is_shown_instead_of_the_default_one()
    {
        string name = "not-in-di-" + Guid.NewGuid().ToString("N");
        CircuitBreakerRegistry.Default.GetOrAdd(name);
        _registry.GetOrAdd("from-di");
        await using MonitorServer server = await MonitorServer.StartAsync(_registry, app => app.MapCircuitBreakerMonitor());

        JsonNode json = await (await server.Client.GetAsync("circuit-breakers")).ReadJsonAsync();

        Assert.Equal(["from-di"], json["breakers"]!.AsArray().Select(b => (string)b!["name"]!));
    }

    /// <summary>A coordinator that reports a fixed status and counts what else it is asked.</summary>
    private sealed class StatusCoordinator(CoordinationStatus status) : CircuitCoordinator
    {
        public int ProbeRequests { get; private set; }

        public override bool MayStartProbing(CircuitBreaker breaker)
        {
            ProbeRequests++;
            return true;
        }

        public override CoordinationStatus? GetStatus(CircuitBreaker breaker) => status;
    }
}
