using System;
using System.Linq;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Breaker.AspNetCore.Tests.Infrastructure;

/// <summary>
/// The web sample (samples/Breaker.Samples.Web), its own Program and appsettings.json, on a real Kestrel server on
/// 127.0.0.1 (a port the system picks), with a known operator key.
/// </summary>
public sealed class SampleServer : WebApplicationFactory<Program>
{
    public const string OperatorKey = "test-operator-key-7f3a";

    public SampleServer()
    {
        UseKestrel(static kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        StartServer();
        string address = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        BaseAddress = new Uri(address.TrimEnd('/') + "/");
    }

    /// <summary>The server's root, such as http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Management:ApiKey", OperatorKey);
        builder.ConfigureLogging(static logging => logging.ClearProviders());
    }
}
