using System;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Breaker.AspNetCore.Tests.Infrastructure;

/// <summary>A real Kestrel application on 127.0.0.1 (a port the system picks) serving whatever the test maps.</summary>
internal sealed class MonitorServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private MonitorServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>The server's root, such as http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    /// <summary>The application's services.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a server whose DI holds <paramref name="registry"/> (unless null), configured and mapped by the test.</summary>
    public static async Task<MonitorServer> StartAsync(
        CircuitBreakerRegistry? registry,
        Action<WebApplication> map,
        Action<IServiceCollection>? services = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();

        // As in a NativeAOT application built with CreateSlimBuilder, the application's JSON options know no types: anything
        // the monitor wrote through them (rather than through its own source-generated context) fails here too.
        builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Clear());
        if (registry is not null)
        {
            builder.Services.AddSingleton(registry);
        }

        services?.Invoke(builder.Services);
        WebApplication app = builder.Build();
        map(app);
        await app.StartAsync();

        string address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new MonitorServer(app, new Uri(address.TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
