using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading.Tasks;
using Breaker.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Breaker.AspNetCore.Tests;

/// <summary>
/// The dashboard's newer parts in real headless Chromium: duration percentiles, the events timeline, the failure-rate
/// history a new viewer gets from the server, and the fleet. Everything from the server goes in as text.
/// </summary>
public sealed class DashboardTimelineBrowserTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private const string Dashboard = "circuit-breakers/dashboard?refresh=250";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task A_new_viewer_sees_the_percentiles_what_happened_and_the_last_minutes_of_failure_rate()
    {
        var registry = new CircuitBreakerRegistry(_time);
        CircuitBreaker payments = registry.GetOrAdd("payments", Calls.Sensitive(minimumThroughput: 20));
        await using MonitorServer server = await MonitorServer.StartAsync(registry, static app => app.MapCircuitBreakerMonitor());

        // A minute and a half of traffic before anyone looks: 18 calls of 200 ms, 2 of 900 ms, then failures that open it.
        for (int i = 0; i < 20; i++)
        {
            Calls.Timed(payments, _time, TimeSpan.FromMilliseconds(i < 18 ? 200 : 900), fails: false);
            Calls.Pass(_time, TimeSpan.FromSeconds(4));
        }

        while (payments.State == CircuitState.Closed)
        {
            Calls.Timed(payments, _time, TimeSpan.FromMilliseconds(300), fails: true);
        }

        Calls.Fail(payments, 4); // rejected
        Calls.Pass(_time, TimeSpan.FromSeconds(2));

        IPage page = await chromium.OpenAsync(server, Dashboard);
        ILocator card = page.GetByRole(AriaRole.Article, new() { Name = "payments" });

        await Expect(card.Locator(".state")).ToHaveTextAsync("Open");
        // The window holds the last 20 calls: 8 of 200 ms, 2 of 900 ms, 10 failed ones of 300 ms (bins: within 12.5%).
        await Expect(card.Locator("dd.durationP50Ms")).ToHaveTextAsync("288 ms");
        await Expect(card.Locator("dd.durationP95Ms")).ToHaveTextAsync("944 ms");
        await Expect(card.Locator("dd.durationP99Ms")).ToHaveTextAsync("944 ms");
        ILocator timeline = page.GetByRole(AriaRole.Region, new() { Name = "Recent events" });
        await Expect(timeline.Locator("li").Nth(0)).ToContainTextAsync("4 calls rejected while open (so far)");
        await Expect(timeline.Locator("li").Nth(1)).ToContainTextAsync("closed → open for 1 min · failure rate reached the threshold");
        await Expect(timeline.Locator("li").Nth(1).Locator(".who")).ToHaveTextAsync("payments");

        // The plot starts with what the server kept: about 90 seconds, not the moment the page opened.
        await Expect(card).ToHaveAttributeAsync("data-history", new System.Text.RegularExpressions.Regex("^(4[0-9])$"));
        await Expect(card.Locator("figcaption span").First).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^Failure rate · last 1 min [2-3][0-9] s$"));
        await page.CloseAsync();
    }

    [Fact]
    public async Task Hostile_names_and_reasons_in_the_events_feed_stay_inert_text()
    {
        const string Markup = "<img src=x onerror=alert(1)>";
        const string RightToLeft = "\u202Epayments";
        string huge = "x" + new string('\u05D0', 5_998) + "y"; // 6,000 characters of Hebrew between two Latin letters
        var registry = new CircuitBreakerRegistry(_time);
        foreach (string name in new[] { Markup, RightToLeft, huge })
        {
            registry.GetOrAdd(name).Isolate();
            Assert.Throws<ArgumentOutOfRangeException>(() => registry.Configure(name, static o => o.FailureRatio = 2)); // the reason quotes the name
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        await using MonitorServer server = await MonitorServer.StartAsync(registry, static app => app.MapCircuitBreakerMonitor());
        var dialogs = new ConcurrentQueue<string>();
        var violations = new ConcurrentQueue<string>();
        IPage page = await chromium.OpenAsync(server, Dashboard + "&events=10", p =>
        {
            p.Dialog += (_, dialog) =>
            {
                dialogs.Enqueue(dialog.Message);
                _ = dialog.DismissAsync();
            };
            p.Console += (_, message) =>
            {
                if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
                {
                    violations.Enqueue(message.Text);
                }
            };
        });
        ILocator rows = page.GetByRole(AriaRole.Region, new() { Name = "Recent events" }).Locator("li");

        await Expect(rows).ToHaveCountAsync(6);
        await Expect(rows.Nth(0).Locator(".what")).ToHaveTextAsync("configuration refused");
        await Expect(rows.Nth(0).Locator(".who")).ToHaveTextAsync(huge);
        await Expect(rows.Nth(2).Locator(".who")).ToHaveTextAsync("\\u{202E}payments");
        await Expect(rows.Nth(4).Locator(".who")).ToHaveTextAsync(Markup);
        await Expect(rows.Nth(4).Locator(".detail")).ToHaveTextAsync($"Circuit breaker '{Markup}': FailureRatio must be greater than 0 and at most 1 (was 2). (Parameter 'FailureRatio')");
        await Expect(rows.Nth(5).Locator(".what")).ToHaveTextAsync("closed → isolated · by hand");
        await DashboardUpdates.WaitForMoreAsync(page, 3);

        // The 6,000-character name is cut with an ellipsis on one line: the row stays a row.
        LocatorBoundingBoxResult? box = await rows.Nth(0).BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.InRange(box.Height, 1, 100);
        Assert.True(await rows.Nth(0).Locator(".who").EvaluateAsync<bool>("e => e.scrollWidth > e.clientWidth"));
        Assert.Equal(0, await page.Locator("img").CountAsync());
        Assert.Empty(dialogs);
        Assert.Empty(violations);
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_coordinated_breaker_shows_the_fleet_its_verdict_who_probes_and_every_instances_window()
    {
        var registry = new CircuitBreakerRegistry(_time);
        CircuitBreaker quotes = registry.GetOrAdd("quotes");
        registry.GetOrAdd("search");
        quotes.Coordinator = new FixedStatusCoordinator(new CoordinationStatus
        {
            InstanceId = "web-2",
            IsCoordinating = false,
            SharedState = CircuitState.Open,
            BreakEnds = _time.GetUtcNow() + TimeSpan.FromSeconds(42),
            ProbeLeaseHolder = "web-1",
            Instances =
            [
                new CoordinationPeer("<b>web-0</b>", 10, 0, 0, false),
                new CoordinationPeer("web-1", 120, 80, 3, true),
                new CoordinationPeer("web-2", 40, 4, 0, false),
            ],
        });
        await using MonitorServer server = await MonitorServer.StartAsync(registry, static app => app.MapCircuitBreakerMonitor());

        IPage page = await chromium.OpenAsync(server, Dashboard);
        ILocator fleet = page.GetByRole(AriaRole.Article, new() { Name = "quotes" }).GetByRole(AriaRole.Region, new() { Name = "Fleet" });

        await Expect(fleet.Locator(".fleet-mode")).ToHaveTextAsync("acting locally (web-2)");
        await Expect(fleet.Locator(".fleet-verdict")).ToHaveTextAsync("Verdict: open · break ends in 42 s · probe lease: web-1");
        await Expect(fleet.Locator("tbody tr")).ToHaveCountAsync(3);
        Assert.Equal(
            ["<b>web-0</b> 10 0 0%", "web-1 120 80 67%", "web-2 (this) 40 4 10%"],
            await fleet.Locator("tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => [...r.cells].map(c => c.textContent).join(' '))"));
        await Expect(fleet.Locator("tbody tr").Nth(1).Locator("td.bad")).ToHaveTextAsync("67%");
        await Expect(page.GetByRole(AriaRole.Article, new() { Name = "search" }).Locator(".fleet")).ToBeHiddenAsync();
        Assert.Equal(0, await page.Locator("article b").CountAsync());
        await page.CloseAsync();
    }
}
