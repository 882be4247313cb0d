using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Breaker.Extensions.Tests;

public interface IQuotes
{
    decimal Quote(string sku);

    decimal Spread(string sku);
}

/// <summary>The implementation behind the decorator: it fails while <see cref="Down"/> and counts the calls it gets.</summary>
public sealed class QuoteBackend : IQuotes
{
    public bool Down { get; set; }

    public int Calls { get; private set; }

    public decimal Quote(string sku) => Answer(sku);

    public decimal Spread(string sku) => Answer(sku);

    private decimal Answer(string sku)
    {
        Calls++;
        return Down ? throw new InvalidOperationException("quotes are down") : sku.Length;
    }
}

/// <summary>Lenient in code (ten consecutive failures); configuration tightens one method's breaker by its name.</summary>
[CircuitBreaker("ext-config-quotes", PerMethod = true, ConsecutiveFailureThreshold = 10)]
public sealed partial class QuotesBreaker : IQuotes;

/// <summary>Configuration by name (the "CircuitBreakers" section) reaches a decorator's breakers, as it reaches a partial method's.</summary>
public sealed class DecoratorConfigurationTests
{
    [Fact]
    public async Task A_section_named_after_a_decorators_method_breaker_overrides_the_attribute_for_that_method_only()
    {
        IConfigurationRoot configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["CircuitBreakers:ext-config-quotes.Quote:ConsecutiveFailureThreshold"] = "1" })
            .Build();
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddCircuitBreakers(configuration.GetSection("CircuitBreakers"));
        builder.Services.AddSingleton<QuoteBackend>();
        builder.Services.AddSingleton<IQuotes>(static services => services.GetRequiredService<QuoteBackend>());
        builder.Services.AddCircuitBreakerDecorator<IQuotes>(static inner => new QuotesBreaker(inner));
        using IHost host = builder.Build();
        await host.StartAsync();

        QuoteBackend backend = host.Services.GetRequiredService<QuoteBackend>();
        IQuotes quotes = host.Services.GetRequiredService<IQuotes>();
        backend.Down = true;

        Assert.Throws<InvalidOperationException>(() => quotes.Quote("abc"));
        Assert.Throws<BrokenCircuitException>(() => quotes.Quote("abc"));
        for (int i = 0; i < 3; i++)
        {
            Assert.Throws<InvalidOperationException>(() => quotes.Spread("abc"));
        }

        Assert.Equal(4, backend.Calls);
        Assert.True(CircuitBreakerRegistry.Default.TryGet("ext-config-quotes.Quote", out CircuitBreaker? quote));
        Assert.True(CircuitBreakerRegistry.Default.TryGet("ext-config-quotes.Spread", out CircuitBreaker? spread));
        Assert.Equal((1, 10), (quote.Options.ConsecutiveFailureThreshold, spread.Options.ConsecutiveFailureThreshold));
        await host.StopAsync();
    }
}
