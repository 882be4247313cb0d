using System;
using System.IO;
using System.Threading.Tasks;
using Microsoft.Playwright;

namespace Breaker.AspNetCore.Tests.Infrastructure;

/// <summary>
/// Debian's headless Chromium, driven by Playwright (whose driver ships in its NuGet package; its own browser download is
/// not used), with a fresh profile for the test class. Without Chromium every test using it fails, saying how to install it.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>
    /// The longest (in ms) Chromium may take to start, to load a page or to show what a test expects. It only bounds a hang:
    /// the expected path takes well under a second, but a busy 2-core machine can stall a browser for seconds.
    /// </summary>
    public const int CeilingMs = 60_000;

    private static readonly string[] Arguments =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;
    private IBrowserContext? _browser;
    private string? _profile;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException(
                $"The dashboard's browser tests need Chromium at {ExecutablePath}, and it is not there. " +
                "Install Debian's package (apt-get update && apt-get install -y chromium); ./test.sh does it when it is missing.");
        }

        Assertions.SetDefaultExpectTimeout(CeilingMs);
        _profile = Directory.CreateTempSubdirectory("breaker-chromium-").FullName;
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchPersistentContextAsync(_profile, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = Arguments,
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            Timeout = CeilingMs,
        });
        _browser.SetDefaultTimeout(CeilingMs);
    }

    /// <summary>Opens <paramref name="path"/> of <paramref name="server"/> in a new tab.</summary>
    internal Task<IPage> OpenAsync(MonitorServer server, string path, Action<IPage>? beforeNavigation = null) =>
        OpenAsync(server.BaseAddress, path, beforeNavigation);

    /// <summary>Opens <paramref name="path"/> under <paramref name="baseAddress"/> in a new tab.</summary>
    internal async Task<IPage> OpenAsync(Uri baseAddress, string path, Action<IPage>? beforeNavigation = null)
    {
        IPage page = await _browser!.NewPageAsync();
        beforeNavigation?.Invoke(page);
        await page.GotoAsync(new Uri(baseAddress, path).ToString());
        return page;
    }

    /// <summary>Forgets every cookie, so a test starts signed out whatever the tests before it did.</summary>
    internal Task ClearCookiesAsync() => _browser!.ClearCookiesAsync();

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_profile is not null)
        {
            Directory.Delete(_profile, recursive: true);
        }
    }
}
