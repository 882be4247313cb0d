using System;
using System.Collections.Concurrent;
using System.Threading.Tasks;
using Breaker.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Breaker.AspNetCore.Tests;

/// <summary>The dashboard in real headless Chromium, against a real server.</summary>
public sealed class DashboardBrowserTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private const string Dashboard = "circuit-breakers/dashboard?refresh=250";

    private readonly CircuitBreakerRegistry _registry = new(new FakeTimeProvider());

    [Fact]
    public async Task A_failing_breaker_turns_open_and_the_reset_button_closes_it()
    {
        CircuitBreaker payments = _registry.GetOrAdd("payments", Calls.Sensitive());
        Calls.Succeed(payments, 1);
        await using MonitorServer server = await MonitorServer.StartAsync(_registry, app =>
        {
            app.MapCircuitBreakerMonitor();
            app.MapCircuitBreakerManagement();
        });
        IPage page = await chromium.OpenAsync(server, Dashboard);
        ILocator card = page.GetByRole(AriaRole.Article, new() { Name = "payments" });
        await Expect(card.Locator(".state")).ToHaveTextAsync("Closed");
        await Expect(card.Locator(".calls")).ToHaveTextAsync("1");

        Calls.Fail(payments, 1);

        await Expect(card.Locator(".state")).ToHaveTextAsync("Open");
        await Expect(card.Locator(".failureRate")).ToHaveTextAsync("50%");
        await Expect(card.Locator(".opens")).ToHaveTextAsync("1");
        await Expect(card).ToHaveClassAsync("card state-open");
        await Expect(page.Locator(".chip.state-open .n")).ToHaveTextAsync("1");

        await card.GetByRole(AriaRole.Button, new() { Name = "Reset" }).ClickAsync();

        await Expect(card.Locator(".state")).ToHaveTextAsync("Closed");
        await Expect(card).ToHaveClassAsync("card state-closed");
        Assert.Equal(CircuitState.Closed, payments.State);

        await card.GetByRole(AriaRole.Button, new() { Name = "Isolate" }).ClickAsync();

        await Expect(card.Locator(".state")).ToHaveTextAsync("Isolated");
        Assert.Equal(CircuitState.Isolated, payments.State);
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_hostile_breaker_name_shows_as_inert_text()
    {
        const string Hostile = "<img src=x onerror=alert(1)>";
        _registry.GetOrAdd(Hostile);
        await using MonitorServer server = await MonitorServer.StartAsync(_registry, app =>
        {
            app.MapCircuitBreakerMonitor();
            app.MapCircuitBreakerManagement();
        });
        var dialogs = new ConcurrentQueue<string>();
        var requests = new ConcurrentQueue<string>();
        IPage page = await chromium.OpenAsync(server, Dashboard, page =>
        {
            page.Dialog += (_, dialog) =>
            {
                dialogs.Enqueue(dialog.Message);
                _ = dialog.DismissAsync();
            };
            page.Request += (_, request) => requests.Enqueue(request.Url);
        });

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = Hostile, Exact = true })).ToHaveTextAsync(Hostile);
        await Expect(page.GetByRole(AriaRole.Article, new() { Name = Hostile }).Locator(".state")).ToHaveTextAsync("Closed");
        await DashboardUpdates.WaitForMoreAsync(page, 3);

        Assert.Equal(0, await page.Locator("img").CountAsync());
        Assert.Empty(dialogs);
        Assert.All(requests, url => Assert.StartsWith(server.BaseAddress.ToString(), url, StringComparison.Ordinal));
        await page.CloseAsync();
    }

    [Fact]
    public async Task Without_management_endpoints_there_are_no_buttons()
    {
        _registry.GetOrAdd("search");
        await using MonitorServer server = await MonitorServer.StartAsync(_registry, app => app.MapCircuitBreakerMonitor());
        IPage page = await chromium.OpenAsync(server, Dashboard);
        ILocator card = page.GetByRole(AriaRole.Article, new() { Name = "search" });

        await Expect(card.Locator(".state")).ToHaveTextAsync("Closed");

        await Expect(card.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_refused_reset_is_reported_and_leaves_the_breaker_open()
    {
        CircuitBreaker payments = _registry.GetOrAdd("payments", Calls.Sensitive());
        Calls.Fail(payments, 2);
        await using MonitorServer server = await MonitorServer.StartAsync(
            _registry,
            app =>
            {
                app.MapCircuitBreakerMonitor();
                app.MapCircuitBreakerManagement().RequireAuthorization("breaker-admin");
            },
            services =>
            {
                services.AddAuthentication(HeaderAuthenticationHandler.SchemeName)
                    .AddScheme<AuthenticationSchemeOptions, HeaderAuthenticationHandler>(HeaderAuthenticationHandler.SchemeName, configureOptions: null);
                services.AddAuthorization(options => options.AddPolicy("breaker-admin", policy => policy.RequireRole("ops")));
            });
        IPage page = await chromium.OpenAsync(server, Dashboard);
        ILocator card = page.GetByRole(AriaRole.Article, new() { Name = "payments" });
        await Expect(card.Locator(".state")).ToHaveTextAsync("Open");

        await card.GetByRole(AriaRole.Button, new() { Name = "Reset" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Reset \"payments\" failed (HTTP 401)");
        await DashboardUpdates.WaitForMoreAsync(page, 2);
        await Expect(card.Locator(".state")).ToHaveTextAsync("Open");
        Assert.Equal(CircuitState.Open, payments.State);
        await page.CloseAsync();
    }
}
