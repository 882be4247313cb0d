using System;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Breaker.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.AspNetCore.Tests;

public sealed class ManagementEndpointTests
{
    private const string AdminPolicy = "breaker-admin";

    private readonly CircuitBreakerRegistry _registry = new(new FakeTimeProvider());

    [Fact]
    public async Task Management_is_not_mapped_unless_asked_for()
    {
        CircuitBreaker payments = OpenBreaker("payments");
        await using MonitorServer server = await MonitorServer.StartAsync(_registry, app => app.MapCircuitBreakerMonitor());

        HttpResponseMessage reset = await server.Client.PostAsync("circuit-breakers/payments/reset", content: null);
        HttpResponseMessage isolate = await server.Client.PostAsync("circuit-breakers/payments/isolate", content: null);
        HttpResponseMessage metricsOnly = await server.Client.PostAsync("circuit-breakers/payments/metrics-only?enabled=true", content: null);

        // The monitor serves GET under its prefix (a name it cannot find is a 404 problem); nothing there takes a POST.
        Assert.Equal(HttpStatusCode.MethodNotAllowed, reset.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, isolate.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, metricsOnly.StatusCode);
        Assert.Equal(CircuitState.Open, payments.State);
    }

    [Fact]
    public async Task Reset_closes_an_open_breaker_and_answers_with_its_details()
    {
        CircuitBreaker payments = OpenBreaker("payments");
        await using MonitorServer server = await StartWithManagementAsync();

        HttpResponseMessage response = await server.Client.PostAsync("circuit-breakers/payments/reset", content: null);
        JsonNode json = await response.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Closed", (string)json["state"]!);
        Assert.Equal(0, (long)json["metrics"]!["windowCalls"]!);
        Assert.Equal(CircuitState.Closed, payments.State);
    }

    [Fact]
    public async Task Isolate_holds_a_breaker_open()
    {
        CircuitBreaker search = _registry.GetOrAdd("search");
        await using MonitorServer server = await StartWithManagementAsync();

        HttpResponseMessage response = await server.Client.PostAsync("circuit-breakers/search/isolate", content: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Isolated", (string)(await response.ReadJsonAsync())["state"]!);
        Assert.Equal(CircuitState.Isolated, search.State);
        Assert.False(search.TryAcquire().IsGranted);
    }

    [Fact]
    public async Task Metrics_only_mode_is_turned_on_and_off()
    {
        CircuitBreaker search = _registry.GetOrAdd("search");
        await using MonitorServer server = await StartWithManagementAsync();

        JsonNode started = await (await server.Client.PostAsync("circuit-breakers/search/metrics-only?enabled=true", content: null)).ReadJsonAsync();
        CircuitState during = search.State;
        JsonNode ended = await (await server.Client.PostAsync("circuit-breakers/search/metrics-only?enabled=false", content: null)).ReadJsonAsync();

        Assert.Equal("MetricsOnly", (string)started["state"]!);
        Assert.Equal(CircuitState.MetricsOnly, during);
        Assert.Equal("Closed", (string)ended["state"]!);
        Assert.Equal(CircuitState.Closed, search.State);
    }

    [Theory]
    [InlineData("circuit-breakers/search/metrics-only")]
    [InlineData("circuit-breakers/search/metrics-only?enabled=maybe")]
    public async Task Metrics_only_without_a_clear_flag_is_a_bad_request(string path)
    {
        CircuitBreaker search = _registry.GetOrAdd("search");
        await using MonitorServer server = await StartWithManagementAsync();

        HttpResponseMessage response = await server.Client.PostAsync(path, content: null);
        JsonNode problem = await response.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("enabled", (string)problem["title"]!, StringComparison.Ordinal);
        Assert.Equal(CircuitState.Closed, search.State);
    }

    [Theory]
    [InlineData("reset")]
    [InlineData("isolate")]
    [InlineData("metrics-only?enabled=true")]
    public async Task Acting_on_an_unknown_breaker_gives_404_problem_details(string action)
    {
        await using MonitorServer server = await StartWithManagementAsync();

        HttpResponseMessage response = await server.Client.PostAsync("circuit-breakers/ghost/" + action, content: null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Circuit breaker not found", (string)(await response.ReadJsonAsync())["title"]!);
    }

    [Fact]
    public async Task A_request_a_browser_marks_as_cross_site_is_refused()
    {
        CircuitBreaker payments = OpenBreaker("payments");
        await using MonitorServer server = await StartWithManagementAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "circuit-breakers/payments/reset");
        request.Headers.Add("Sec-Fetch-Site", "cross-site");

        HttpResponseMessage response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(CircuitState.Open, payments.State);
    }

    [Fact]
    public async Task The_summary_tells_where_management_is_mapped()
    {
        _registry.GetOrAdd("search");
        await using MonitorServer server = await MonitorServer.StartAsync(_registry, app =>
        {
            app.MapCircuitBreakerMonitor("/status/breakers");
            app.MapGroup("/admin").MapCircuitBreakerManagement("/breakers").AllowAnonymous();
        });

        JsonNode summary = await (await server.Client.GetAsync("status/breakers")).ReadJsonAsync();
        HttpResponseMessage isolate = await server.Client.PostAsync("admin/breakers/search/isolate", content: null);

        Assert.Equal("/admin/breakers", (string)summary["management"]!);
        Assert.Equal(HttpStatusCode.OK, isolate.StatusCode);
    }

    [Fact]
    public async Task An_authorization_policy_on_management_blocks_reset_but_leaves_the_monitor_open()
    {
        CircuitBreaker payments = OpenBreaker("payments");
        await using MonitorServer server = await StartWithAuthorizedManagementAsync();

        HttpResponseMessage anonymous = await server.Client.PostAsync("circuit-breakers/payments/reset", content: null);
        HttpResponseMessage notAnAdmin = await server.Client.SendAsync(ResetAs("mallory", role: "viewer"));
        HttpResponseMessage monitor = await server.Client.GetAsync("circuit-breakers/payments");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, notAnAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.OK, monitor.StatusCode);
        Assert.Equal(CircuitState.Open, payments.State);
    }

    [Fact]
    public async Task An_authorized_user_can_reset()
    {
        CircuitBreaker payments = OpenBreaker("payments");
        await using MonitorServer server = await StartWithAuthorizedManagementAsync();

        HttpResponseMessage response = await server.Client.SendAsync(ResetAs("alice", role: "ops"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(CircuitState.Closed, payments.State);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/admin")]
    public async Task Management_without_an_authorization_choice_fails_the_start_and_says_how_to_choose(string group)
    {
        // Mapped on the application, or in a group of it beside the monitor: the application does not start, so nothing can
        // call the endpoints.
        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => MonitorServer.StartAsync(_registry, app =>
        {
            app.MapCircuitBreakerMonitor();
            if (group.Length == 0)
            {
                app.MapCircuitBreakerManagement();
            }
            else
            {
                app.MapGroup(group).MapCircuitBreakerManagement();
            }
        }));

        Assert.StartsWith("Circuit breaker management has no authorization choice: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("RequireAuthorization(", error.Message, StringComparison.Ordinal);
        Assert.Contains("AllowAnonymous()", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("reset")]
    [InlineData("isolate")]
    [InlineData("metrics-only?enabled=true")]
    public async Task Management_mapped_where_start_up_cannot_see_it_refuses_every_call_and_says_how_to_choose(string action)
    {
        // Only in a route group, nothing of Breaker mapped on the application itself: the start-up check cannot reach the
        // application's pipeline from there, so each call is refused instead.
        CircuitBreaker payments = OpenBreaker("payments");
        await using MonitorServer server = await MonitorServer.StartAsync(_registry, static app => app.MapGroup("/admin").MapCircuitBreakerManagement());

        HttpResponseMessage response = await server.Client.PostAsync("admin/circuit-breakers/payments/" + action, content: null);
        JsonNode problem = await response.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Circuit breaker management has no authorization choice", (string)problem["title"]!);
        Assert.Contains("RequireAuthorization(", (string)problem["detail"]!, StringComparison.Ordinal);
        Assert.Contains("AllowAnonymous()", (string)problem["detail"]!, StringComparison.Ordinal);
        Assert.Equal(CircuitState.Open, payments.State);
    }

    [Fact]
    public async Task A_policy_on_an_enclosing_group_is_a_choice()
    {
        CircuitBreaker payments = OpenBreaker("payments");
        await using MonitorServer server = await StartWithAuthorizationAsync(app =>
            app.MapGroup(string.Empty).RequireAuthorization(AdminPolicy).MapCircuitBreakerManagement());

        await AssertOnlyAnOperatorCanResetAsync(server, payments);
    }

    [Fact]
    public async Task A_fallback_authorization_policy_is_a_choice()
    {
        CircuitBreaker payments = OpenBreaker("payments");
        await using MonitorServer server = await MonitorServer.StartAsync(
            _registry,
            app => app.MapCircuitBreakerManagement(),
            services =>
            {
                AddHeaderAuthentication(services);
                services.AddAuthorization(options => options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireRole("ops").Build());
            });

        await AssertOnlyAnOperatorCanResetAsync(server, payments);
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("null")]
    [InlineData("http://127.0.0.1:1")]
    [InlineData("https://127.0.0.1:{port}")]
    [InlineData("http://localhost:{port}")]
    [InlineData("http://127.0.0.1:{port}/path")]
    [InlineData("not a url")]
    public async Task A_cross_origin_Origin_is_refused_with_or_without_Sec_Fetch_Site(string origin)
    {
        CircuitBreaker payments = OpenBreaker("payments");
        await using MonitorServer server = await StartWithManagementAsync();
        origin = origin.Replace("{port}", server.BaseAddress.Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

        foreach (string? site in new[] { null, "same-origin", "none" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "circuit-breakers/payments/reset");
            request.Headers.TryAddWithoutValidation("Origin", origin);
            if (site is not null)
            {
                request.Headers.Add("Sec-Fetch-Site", site);
            }

            HttpResponseMessage response = await server.Client.SendAsync(request);

            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("Cross-origin request refused", (string)(await response.ReadJsonAsync())["title"]!);
        }

        Assert.Equal(CircuitState.Open, payments.State);
    }

    [Theory]
    [InlineData("http://127.0.0.1:{port}")]
    [InlineData("HTTP://127.0.0.1:{port}")]
    public async Task The_applications_own_Origin_is_accepted(string origin)
    {
        CircuitBreaker payments = OpenBreaker("payments");
        await using MonitorServer server = await StartWithManagementAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "circuit-breakers/payments/reset");
        request.Headers.TryAddWithoutValidation("Origin", origin.Replace("{port}", server.BaseAddress.Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
        request.Headers.Add("Sec-Fetch-Site", "same-origin");

        HttpResponseMessage response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(CircuitState.Closed, payments.State);
    }

    private static async Task AssertOnlyAnOperatorCanResetAsync(MonitorServer server, CircuitBreaker payments)
    {
        HttpResponseMessage anonymous = await server.Client.PostAsync("circuit-breakers/payments/reset", content: null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(CircuitState.Open, payments.State);

        HttpResponseMessage admin = await server.Client.SendAsync(ResetAs("alice", role: "ops"));
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Equal(CircuitState.Closed, payments.State);
    }

    private static HttpRequestMessage ResetAs(string user, string role)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "circuit-breakers/payments/reset");
        request.Headers.Add(HeaderAuthenticationHandler.UserHeader, user);
        request.Headers.Add(HeaderAuthenticationHandler.RoleHeader, role);
        return request;
    }

    private CircuitBreaker OpenBreaker(string name)
    {
        CircuitBreaker breaker = _registry.GetOrAdd(name, Calls.Sensitive());
        Calls.Fail(breaker, 2);
        Assert.Equal(CircuitState.Open, breaker.State);
        return breaker;
    }

    private Task<MonitorServer> StartWithManagementAsync() => MonitorServer.StartAsync(_registry, app =>
    {
        app.MapCircuitBreakerMonitor();
        app.MapCircuitBreakerManagement().AllowAnonymous();
    });

    private Task<MonitorServer> StartWithAuthorizedManagementAsync() => StartWithAuthorizationAsync(app =>
    {
        app.MapCircuitBreakerMonitor();
        app.MapCircuitBreakerManagement().RequireAuthorization(AdminPolicy);
    });

    private Task<MonitorServer> StartWithAuthorizationAsync(Action<WebApplication> map) => MonitorServer.StartAsync(
        _registry,
        map,
        services =>
        {
            AddHeaderAuthentication(services);
            services.AddAuthorization(options => options.AddPolicy(AdminPolicy, policy => policy.RequireRole("ops")));
        });

    private static void AddHeaderAuthentication(IServiceCollection services) =>
        services.AddAuthentication(HeaderAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, HeaderAuthenticationHandler>(HeaderAuthenticationHandler.SchemeName, configureOptions: null);
}
