using System.Threading.Tasks;
using Microsoft.Playwright;

namespace Breaker.AspNetCore.Tests.Infrastructure;

/// <summary>The dashboard counts the summaries it has drawn in &lt;html data-updates&gt;; tests wait on it, never on the clock.</summary>
internal static class DashboardUpdates
{
    public static Task<int> CountAsync(IPage page) =>
        page.EvaluateAsync<int>("() => Number(document.documentElement.dataset.updates || 0)");

    /// <summary>Waits (at most <see cref="ChromiumFixture.CeilingMs"/>) until the page has drawn <paramref name="more"/> summaries after now.</summary>
    public static async Task WaitForMoreAsync(IPage page, int more)
    {
        int target = await CountAsync(page) + more;
        await page.WaitForFunctionAsync(
            "n => Number(document.documentElement.dataset.updates || 0) >= n",
            target,
            new PageWaitForFunctionOptions { Timeout = ChromiumFixture.CeilingMs, PollingInterval = 50 });
    }
}
