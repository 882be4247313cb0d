using System.Threading.Tasks;
using Breaker.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Breaker.AspNetCore.Tests;

/// <summary>A keyed group on the dashboard, in real headless Chromium: one card, its keys by state, its worst keys.</summary>
public sealed class DashboardGroupBrowserTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private const string Dashboard = "circuit-breakers/dashboard?refresh=250";

    private readonly CircuitBreakerRegistry _registry = new(new FakeTimeProvider());

    [Fact]
    public async Task A_group_of_a_thousand_keys_is_one_card_with_its_counts_and_worst_keys_and_a_key_can_be_reset_from_it()
    {
        CircuitBreakerKeys<string> tenants = _registry.GetOrAddGroup<string>("tenants", static o => o.ConsecutiveFailureThreshold = 1);
        for (int i = 0; i < 998; i++)
        {
            Calls.Succeed(tenants.GetBreaker($"tenant-{i:D4}"), 1);
        }

        // Hostile keys: a bidirectional override (the runtime escapes it in the name) and markup (shown as text, never as HTML).
        CircuitBreaker globex = tenants.GetBreaker("globex\u202Eevil");
        Calls.Fail(globex, 1);
        CircuitBreaker markup = tenants.GetBreaker("<img src=x onerror=\"document.title='owned'\">");
        Calls.Fail(markup, 1);
        _registry.GetOrAdd("quotes");
        await using MonitorServer server = await MonitorServer.StartAsync(_registry, app =>
        {
            app.MapCircuitBreakerMonitor();
            app.MapCircuitBreakerManagement().AllowAnonymous();
        });
        IPage page = await chromium.OpenAsync(server, Dashboard);

        ILocator card = page.GetByRole(AriaRole.Article, new() { Name = "tenants" });
        await Expect(card).ToHaveClassAsync("card group state-open");
        await Expect(card.Locator(".note")).ToContainTextAsync("Keyed group · 1,000 of 1,000 keys");
        await Expect(card.Locator(".key-counts .state-open .n")).ToHaveTextAsync("2");
        await Expect(card.Locator(".key-counts .state-closed .n")).ToHaveTextAsync("998");
        await Expect(card.Locator(".worst-keys li .key").Nth(0)).ToHaveTextAsync("<img src=x onerror=\"document.title='owned'\">");
        await Expect(card.Locator(".worst-keys li .key").Nth(1)).ToHaveTextAsync("globex%u202Eevil");
        await Expect(card.Locator(".worst-keys li .detail").Nth(1)).ToContainTextAsync("Open");
        await Expect(card.Locator("img")).ToHaveCountAsync(0);
        await Expect(page.Locator("article.card")).ToHaveCountAsync(2);
        await Expect(page.Locator(".chip.total .n")).ToHaveTextAsync("1,001");

        // The group is full: a new key shares the group's breaker, which the card shows.
        tenants.GetBreaker("newcomer");
        await Expect(card.Locator(".worst-keys li").Last.Locator(".key")).ToHaveTextAsync("shared by keys without a breaker (tenants:*)");

        await Expect(page.Locator(".chip.total .n")).ToHaveTextAsync("1,002");

        await card.Locator(".worst-keys li").Nth(1).GetByRole(AriaRole.Button, new() { Name = "Reset" }).ClickAsync();
        await Expect(card.Locator(".key-counts .state-open .n")).ToHaveTextAsync("1");
        await card.Locator(".worst-keys li").Nth(0).GetByRole(AriaRole.Button, new() { Name = "Reset" }).ClickAsync();

        await Expect(card).ToHaveClassAsync("card group state-closed");
        Assert.Equal((CircuitState.Closed, CircuitState.Closed), (globex.State, markup.State));
        Assert.NotEqual("owned", await page.TitleAsync());
        await page.CloseAsync();
    }
}
