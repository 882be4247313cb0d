using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Extensions.Tests;

/// <summary>
/// A generic host with AddCircuitBreakers bound to an in-memory "CircuitBreakers" section, its own registry on a fake clock
/// (so tests neither share state through <see cref="CircuitBreakerRegistry.Default"/> nor wait), and a fake log collector.
/// </summary>
internal sealed class TestHost : IAsyncDisposable
{
    private readonly IConfigurationRoot _configuration;

    private TestHost(IHost host, IConfigurationRoot configuration, FakeTimeProvider time)
    {
        Host = host;
        _configuration = configuration;
        Time = time;
    }

    public IHost Host { get; }

    public FakeTimeProvider Time { get; }

    public CircuitBreakerRegistry Registry => Host.Services.GetRequiredService<CircuitBreakerRegistry>();

    public FakeLogCollector Logs => Host.Services.GetFakeLogCollector();

    public static TestHost Create(IDictionary<string, string?> settings, Action<ICircuitBreakerBuilder>? configure = null)
    {
        var time = new FakeTimeProvider();
        IConfigurationRoot configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.ToDictionary(p => "CircuitBreakers:" + p.Key, p => p.Value))
            .Build();
        HostApplicationBuilder builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.AddFakeLogging();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddSingleton(new CircuitBreakerRegistry(time));
        ICircuitBreakerBuilder breakers = builder.Services.AddCircuitBreakers(configuration.GetSection("CircuitBreakers"));
        configure?.Invoke(breakers);
        return new TestHost(builder.Build(), configuration, time);
    }

    public static async Task<TestHost> StartAsync(IDictionary<string, string?> settings, Action<ICircuitBreakerBuilder>? configure = null)
    {
        TestHost host = Create(settings, configure);
        await host.Host.StartAsync();
        return host;
    }

    /// <summary>Changes keys of the "CircuitBreakers" section (null removes a value) and raises the reload token, as a file change would.</summary>
    public void Reload(IDictionary<string, string?> changes)
    {
        MemoryConfigurationProvider provider = _configuration.Providers.OfType<MemoryConfigurationProvider>().Single();
        foreach (KeyValuePair<string, string?> change in changes)
        {
            provider.Set("CircuitBreakers:" + change.Key, change.Value);
        }

        _configuration.Reload();
    }

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        Host.Dispose();
    }
}
