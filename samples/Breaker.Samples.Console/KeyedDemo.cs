using System;
using System.Linq;
using Breaker.Samples.Console.Infrastructure;
using Breaker.Samples.Console.Services;

namespace Breaker.Samples.Console;

/// <summary>The keyed step: one breaker per tenant, so a tenant whose backend fails is cut off alone.</summary>
internal sealed class KeyedDemo(SampleClock clock)
{
    private static readonly string[] Tenants = ["acme", "globex", "initech"];

    public void OneTenantFails()
    {
        Terminal.Step("One breaker per tenant (generated code, Key = nameof(tenant))");
        Terminal.Line("[CircuitBreaker(\"catalog\", Key = nameof(tenant), Fallback = nameof(Unavailable), ...)] public partial string GetCatalog(string tenant);");
        Terminal.Line("globex's backend is down; acme and initech are fine:");
        var service = new TenantCatalogService();
        service.Down.Add("globex");
        for (int round = 0; round < 4; round++)
        {
            foreach (string tenant in Tenants)
            {
                string answer = service.GetCatalog(tenant);
                Terminal.Outcome(!answer.Contains("unavailable", StringComparison.Ordinal), answer);
            }
        }

        Terminal.Line($"{service.Received} of {4 * Tenants.Length} calls reached a backend; each tenant has its own breaker:");
        CircuitBreakerGroup group = CircuitBreakerRegistry.Default.TryGetGroup("catalog", out CircuitBreakerGroup? found)
            ? found
            : throw new InvalidOperationException("The generated code did not register the 'catalog' group.");
        Show(group);

        Terminal.Line("30 seconds later globex's backend is back; its next call is the probe that closes its circuit:");
        clock.Advance(TimeSpan.FromSeconds(30));
        service.Down.Clear();
        string probe = service.GetCatalog("globex");
        Terminal.Outcome(!probe.Contains("unavailable", StringComparison.Ordinal), probe);
        Show(group);
    }

    private static void Show(CircuitBreakerGroup group)
    {
        Terminal.Line($"group {group}:");
        foreach (CircuitBreaker breaker in group.GetBreakers().OrderBy(static b => b.Name, StringComparer.Ordinal))
        {
            Terminal.State(breaker);
        }
    }
}
