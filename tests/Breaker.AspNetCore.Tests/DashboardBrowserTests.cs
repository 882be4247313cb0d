using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Breaker.AspNetCore.Dashboard;
using Breaker.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Breaker.AspNetCore.Tests;

/// <summary>The dashboard in real headless Chromium, against a real server.</summary>
public sealed class DashboardBrowserTests : IClassFixture<ChromiumFixture>
{
    private readonly ChromiumFixture _chromium;
    private readonly ITestOutputHelper _output;

    private const string Dashboard = "circuit-breakers/dashboard?refresh=250";

    /// <summary>Set to a file path to save the screenshot of <see cref="Every_state_shows_as_its_own_colour_and_word"/> (docs/dashboard.png).</summary>
    private const string ScreenshotVariable = "BREAKER_DASHBOARD_SCREENSHOT";

    // Starts three minutes before the real time: the screenshot's scenario lets about three minutes pass, so the times the
    // events timeline shows end near the page's own clock.
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow.AddMinutes(-3));
    private readonly CircuitBreakerRegistry _registry;

    public DashboardBrowserTests(ChromiumFixture chromium, ITestOutputHelper output)
    {
        _chromium = chromium;
        _output = output;
        _registry = new CircuitBreakerRegistry(_time);
    }

    [Fact]
    public async Task A_failing_breaker_turns_open_and_the_reset_button_closes_it()
    {
        CircuitBreaker payments = _registry.GetOrAdd("payments", Calls.Sensitive());
        Calls.Succeed(payments, 1);
        await using MonitorServer server = await MonitorServer.StartAsync(_registry, app =>
        {
            app.MapCircuitBreakerMonitor();
            app.MapCircuitBreakerManagement().AllowAnonymous();
        });
        IPage page = await _chromium.OpenAsync(server, Dashboard);
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
    public async Task A_break_that_is_over_shows_as_half_open_awaiting_a_call_and_polling_does_not_start_it()
    {
        CircuitBreaker payments = _registry.GetOrAdd("payments", static options =>
        {
            Calls.Sensitive()(options);
            options.BreakDuration = TimeSpan.FromSeconds(10);
        });
        var changes = new ConcurrentQueue<CircuitState>();
        payments.StateChanged += (_, e) => changes.Enqueue(e.To);
        Calls.Fail(payments, 2);
        await using MonitorServer server = await MonitorServer.StartAsync(_registry, static app => app.MapCircuitBreakerMonitor());
        IPage page = await _chromium.OpenAsync(server, Dashboard);
        ILocator card = page.GetByRole(AriaRole.Article, new() { Name = "payments" });
        await Expect(card.Locator(".state")).ToHaveTextAsync("Open");
        await Expect(card.Locator(".note")).ToContainTextAsync("probes in");

        _time.Advance(TimeSpan.FromSeconds(10));

        await Expect(card.Locator(".state")).ToHaveTextAsync("Half-open");
        await Expect(card.Locator(".note")).ToHaveTextAsync("Break over: the next call is a probe");
        await DashboardUpdates.WaitForMoreAsync(page, 3);
        Assert.Equal([CircuitState.Open], changes);

        Calls.Succeed(payments, 1);

        await Expect(card.Locator(".note")).ToHaveTextAsync("Letting up to 3 probes through");
        Assert.Equal([CircuitState.Open, CircuitState.HalfOpen], changes);
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
            app.MapCircuitBreakerManagement().AllowAnonymous();
        });
        var dialogs = new ConcurrentQueue<string>();
        var requests = new ConcurrentQueue<string>();
        IPage page = await _chromium.OpenAsync(server, Dashboard, page =>
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
        IPage page = await _chromium.OpenAsync(server, Dashboard);
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
        IPage page = await _chromium.OpenAsync(server, Dashboard);
        ILocator card = page.GetByRole(AriaRole.Article, new() { Name = "payments" });
        await Expect(card.Locator(".state")).ToHaveTextAsync("Open");

        await card.GetByRole(AriaRole.Button, new() { Name = "Reset" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Reset \"payments\" failed (HTTP 401)");
        await DashboardUpdates.WaitForMoreAsync(page, 2);
        await Expect(card.Locator(".state")).ToHaveTextAsync("Open");
        Assert.Equal(CircuitState.Open, payments.State);
        await page.CloseAsync();
    }

    [Fact]
    public async Task Every_state_shows_as_its_own_colour_and_word()
    {
        var random = new Random(7);
        CircuitBreaker checkout = _registry.GetOrAdd("checkout-api", options =>
        {
            options.SlidingWindowSize = 60;
            options.MinimumThroughput = 20;
            options.SlowCallDuration = TimeSpan.FromMilliseconds(400);
        });
        CircuitBreaker payments = _registry.GetOrAdd("payments-gateway", options =>
        {
            options.SlidingWindowSize = 40;
            options.MinimumThroughput = 20;
            options.BreakDuration = TimeSpan.FromMinutes(5);
        });
        CircuitBreaker inventory = _registry.GetOrAdd("inventory", options =>
        {
            options.SlidingWindowSize = 20;
            options.MinimumThroughput = 10;
            options.BreakDuration = TimeSpan.FromSeconds(10);
        });
        CircuitBreaker legacy = _registry.GetOrAdd("legacy-soap");
        CircuitBreaker recommendations = _registry.GetOrAdd("recommendations", options => options.MinimumThroughput = 20);
        recommendations.SetMetricsOnly(true);

        // Checkout is shared by a fleet of three instances; this one is web-2.
        checkout.Coordinator = new FixedStatusCoordinator(new CoordinationStatus
        {
            InstanceId = "web-2",
            IsCoordinating = true,
            SharedState = CircuitState.Closed,
            Instances =
            [
                new CoordinationPeer("web-1", 212, 9, 4, false),
                new CoordinationPeer("web-2", 180, 7, 2, false),
                new CoordinationPeer("web-3", 96, 11, 1, false),
            ],
        });
        await using MonitorServer server = await MonitorServer.StartAsync(_registry, app =>
        {
            app.MapCircuitBreakerMonitor();
            app.MapCircuitBreakerManagement().AllowAnonymous();
        });
        IPage page = await _chromium.OpenAsync(server, Dashboard + "&events=12");
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = ColorScheme.Dark });
        await page.SetViewportSizeAsync(1440, 900);

        const int Rounds = 30;
        for (int round = 0; round < Rounds; round++)
        {
            CallMany(checkout, random, calls: 8, failureChance: 0.06 + (0.05 * Math.Sin(round / 3.0)), slowest: 420);
            CallMany(payments, random, calls: 5, failureChance: (double)round / Rounds * 1.3, slowest: 900);
            CallMany(inventory, random, calls: 3, failureChance: 0.25, slowest: 250);
            CallMany(recommendations, random, calls: 4, failureChance: 0.2 + (0.15 * Math.Cos(round / 4.0)), slowest: 260);
            CallMany(legacy, random, calls: round < Rounds / 2 ? 2 : 0, failureChance: 0.1, slowest: 1800);
            await DashboardUpdates.WaitForMoreAsync(page, 1);
        }

        Calls.Fail(payments, 40);
        legacy.Isolate();
        while (inventory.State != CircuitState.Open)
        {
            Calls.Fail(inventory, 1);
        }

        _time.Advance(TimeSpan.FromSeconds(11));
        await DashboardUpdates.WaitForMoreAsync(page, 2);

        await ExpectState(page, "checkout-api", "Closed", "rgb(34, 197, 94)");
        await ExpectState(page, "payments-gateway", "Open", "rgb(239, 68, 68)");
        await ExpectState(page, "inventory", "Half-open", "rgb(245, 158, 11)");
        await ExpectState(page, "legacy-soap", "Isolated", "rgb(167, 139, 250)");
        await ExpectState(page, "recommendations", "Metrics only", "rgb(56, 189, 248)");
        await Expect(page.GetByRole(AriaRole.Article, new() { Name = "checkout-api" }).Locator(".fleet-mode")).ToHaveTextAsync("coordinating as web-2");
        await Expect(page.GetByRole(AriaRole.Article, new() { Name = "checkout-api" }).Locator("dd.durationP95Ms")).Not.ToHaveTextAsync("—");
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Recent events" }).Locator("li").First).ToContainTextAsync("inventory");
        if (Environment.GetEnvironmentVariable(ScreenshotVariable) is { Length: > 0 } path)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        }

        await page.CloseAsync();
    }

    [Fact]
    public async Task A_page_checked_out_with_CRLF_line_endings_still_runs_its_script_and_style()
    {
        string crlf = EmbeddedDashboard().ReplaceLineEndings("\r\n");
        var page = new DashboardPage(crlf);
        _registry.GetOrAdd("payments");
        await using MonitorServer server = await MonitorServer.StartAsync(_registry, app =>
        {
            // As a Windows checkout would build it: the same page, every line ending CR LF.
            app.Use(next => context => context.Request.Path == "/circuit-breakers/dashboard" ? page.ServeAsync(context) : next(context));
            app.MapCircuitBreakerMonitor();
        });
        var violations = new ConcurrentQueue<string>();
        IPage tab = await _chromium.OpenAsync(server, Dashboard, p => p.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                violations.Enqueue(message.Text);
            }
        });
        await tab.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = ColorScheme.Dark });

        await ExpectState(tab, "payments", "Closed", "rgb(34, 197, 94)");
        Assert.Contains("\r\n", await (await server.Client.GetAsync(Dashboard)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(violations);
        await tab.CloseAsync();
    }

    private static string EmbeddedDashboard()
    {
        using Stream stream = typeof(CircuitBreakerEndpointRouteBuilderExtensions).Assembly.GetManifestResourceStream("Breaker.AspNetCore.Dashboard.dashboard.html")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [Fact]
    public async Task With_10000_breakers_a_poll_stays_under_100_KB_and_shows_the_counts_and_the_worst()
    {
        const int Breakers = 10_000;
        for (int i = 0; i < Breakers; i++)
        {
            CircuitBreaker breaker = _registry.GetOrAdd($"partners:api-{i:D5}.example.com:443", Calls.Sensitive(minimumThroughput: 4));
            Calls.Succeed(breaker, 3);
            Calls.Fail(breaker, i % 1000 == 0 ? 3 : i % 7 == 0 ? 1 : 0);
        }

        for (int i = 1; i <= 5; i++)
        {
            _registry.GetOrAdd($"partners:api-{(i * 997):D5}.example.com:443").Isolate();
        }

        await using MonitorServer server = await MonitorServer.StartAsync(_registry, app =>
        {
            app.MapCircuitBreakerMonitor();
            app.MapCircuitBreakerManagement().AllowAnonymous();
        });
        var polls = new ConcurrentQueue<IResponse>();
        IPage page = await _chromium.OpenAsync(server, Dashboard, p => p.Response += (_, response) =>
        {
            if (new Uri(response.Url).AbsolutePath == "/circuit-breakers")
            {
                polls.Enqueue(response);
            }
        });

        await Expect(page.Locator(".chip.total .n")).ToHaveTextAsync("10,000");
        await Expect(page.Locator(".chip.state-open .n")).ToHaveTextAsync("10");
        await Expect(page.Locator(".chip.state-isolated .n")).ToHaveTextAsync("5");
        await DashboardUpdates.WaitForMoreAsync(page, 3);

        await Expect(page.Locator("article.card")).ToHaveCountAsync(24);
        await Expect(page.Locator("article.card.state-open")).ToHaveCountAsync(10);
        await Expect(page.Locator("article.card.state-isolated")).ToHaveCountAsync(5);
        await Expect(page.Locator("#scope")).ToContainTextAsync("Showing the 24 breakers that most need attention, of 10,000");
        await Expect(page.Locator("article.card").First).ToHaveClassAsync("card state-open");
        int[] sizes = await Task.WhenAll(polls.Select(async response => (await response.BodyAsync()).Length));
        Assert.True(sizes.Length >= 3, $"only {sizes.Length} polls were seen");
        _output.WriteLine($"Dashboard poll with {Breakers:N0} breakers: {sizes.Max():N0} bytes (largest of {sizes.Length} polls).");
        Assert.All(sizes, size => Assert.InRange(size, 1, 100 * 1024));
        await page.CloseAsync();
    }

    [Fact]
    public async Task Names_with_a_slash_or_hidden_characters_show_escaped_and_their_buttons_reach_them()
    {
        string[] names = ["eu/payments", "pay\u202Estneml", "zero\u200Bwidth\tand\u0007bell"];
        string[] shown = ["eu/payments", "pay\\u{202E}stneml", "zero\\u{200B}width\\u{0009}and\\u{0007}bell"];
        foreach (string name in names)
        {
            Calls.Fail(_registry.GetOrAdd(name, Calls.Sensitive()), 2);
        }

        await using MonitorServer server = await MonitorServer.StartAsync(_registry, app =>
        {
            app.MapCircuitBreakerMonitor();
            app.MapCircuitBreakerManagement().AllowAnonymous();
        });
        IPage page = await _chromium.OpenAsync(server, Dashboard);

        for (int i = 0; i < names.Length; i++)
        {
            ILocator card = page.GetByRole(AriaRole.Article, new() { Name = shown[i], Exact = true });
            await Expect(card.Locator("h2")).ToHaveTextAsync(shown[i]);
            await Expect(card.Locator(".state")).ToHaveTextAsync("Open");
            await card.GetByRole(AriaRole.Button, new() { Name = "Reset" }).ClickAsync();
            await Expect(card.Locator(".state")).ToHaveTextAsync("Closed");
        }

        Assert.All(names, name => Assert.Equal(CircuitState.Closed, _registry.TryGet(name, out CircuitBreaker? b) ? b.State : CircuitState.Open));
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_reset_answered_by_a_sign_in_redirect_is_reported_and_not_taken_for_done()
    {
        CircuitBreaker payments = _registry.GetOrAdd("payments", Calls.Sensitive());
        Calls.Fail(payments, 2);
        await using MonitorServer server = await MonitorServer.StartAsync(
            _registry,
            app =>
            {
                app.MapGet("/sign-in", () => Results.Content("<p>Sign in</p>", "text/html"));
                app.MapCircuitBreakerMonitor();
                app.MapCircuitBreakerManagement().RequireAuthorization();
            },
            services =>
            {
                services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(o => o.LoginPath = "/sign-in");
                services.AddAuthorization();
            });
        IPage page = await _chromium.OpenAsync(server, Dashboard);
        ILocator card = page.GetByRole(AriaRole.Article, new() { Name = "payments" });
        await Expect(card.Locator(".state")).ToHaveTextAsync("Open");

        await card.GetByRole(AriaRole.Button, new() { Name = "Reset" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Reset \"payments\" failed (the server redirected the request: sign in first?)");
        Assert.Equal(CircuitState.Open, payments.State);
        await page.CloseAsync();
    }

    private static async Task ExpectState(IPage page, string name, string word, string colour)
    {
        ILocator badge = page.GetByRole(AriaRole.Article, new() { Name = name }).Locator(".badge");
        await Expect(badge).ToHaveTextAsync(word);
        await Expect(badge).ToHaveCSSAsync("color", colour);
    }

    private void CallMany(CircuitBreaker breaker, Random random, int calls, double failureChance, int slowest)
    {
        for (int i = 0; i < calls; i++)
        {
            var duration = TimeSpan.FromMilliseconds(random.Next(slowest / 6, slowest));
            Calls.Timed(breaker, _time, duration, fails: random.NextDouble() < failureChance);
        }
    }
}
