using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Breaker.Redis.Tests.Infrastructure;

/// <summary>
/// The dependency the fleet calls: a Kestrel server on 127.0.0.1 that counts the requests it receives and answers 500 while
/// failing (for every caller, or only for the instances named in <see cref="FailingFor"/>).
/// </summary>
public sealed class Dependency : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _requests;

    private Dependency(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;

    /// <summary>Fails every request.</summary>
    public bool Failing { get; set; }

    /// <summary>Instance names whose requests fail (the X-Instance header), for an instance with trouble of its own.</summary>
    public ConcurrentDictionary<string, bool> FailingFor { get; } = new();

    /// <summary>Requests received since the last <see cref="ResetCount"/>.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    public static async Task<Dependency> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        var dependency = new Dependency(app);
        app.MapGet("/quote", (HttpContext context) =>
        {
            Interlocked.Increment(ref dependency._requests);
            string instance = context.Request.Headers["X-Instance"].ToString();
            bool fail = dependency.Failing || dependency.FailingFor.ContainsKey(instance);
            return fail ? Results.StatusCode(500) : Results.Ok(42);
        });
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        dependency.Address = new Uri(new Uri(address), "/quote");
        return dependency;
    }

    public void ResetCount() => Interlocked.Exchange(ref _requests, 0);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
