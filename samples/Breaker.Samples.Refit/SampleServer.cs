using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace Breaker.Samples.Refit;

/// <summary>
/// The API, in-process on 127.0.0.1 (an ephemeral port): each login answers 200 unless the sample scripts a status (and a
/// Retry-After) for it, and the server counts the requests it receives, which shows that rejected calls never reach it.
/// tests/Breaker.Refit.Tests runs its decorator tests against it too.
/// </summary>
public sealed class SampleServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, (int Status, StringValues RetryAfter)> _replies = new();
    private readonly ConcurrentDictionary<string, int> _requests = new();
    private WebApplication? _app;

    /// <summary>The address the server listens on.</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Starts a server on an ephemeral port of 127.0.0.1.</summary>
    public static async Task<SampleServer> StartAsync()
    {
        var server = new SampleServer();
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        app.MapGet("/users/{login}", (string login, HttpContext context) =>
            server.Answer(login, context, () => Results.Json(new User(login, "The " + login), GitHubJson.Default.User)));
        app.MapGet("/users/{owner}/repos", (string owner, HttpContext context) =>
            server.Answer(owner, context, () => Results.Json(new List<Repo> { new(owner + "/breaker", 42) }, GitHubJson.Default.ListRepo)));
        await app.StartAsync().ConfigureAwait(false);
        server._app = app;
        server.BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return server;
    }

    /// <summary>
    /// From now on a login (or owner) answers <paramref name="status"/>, with a Retry-After header line per value of
    /// <paramref name="retryAfter"/> sent as it is (garbage included).
    /// </summary>
    public void Reply(string login, int status, StringValues retryAfter = default) => _replies[login] = (status, retryAfter);

    /// <summary>How many requests for a login (or owner) reached the server.</summary>
    public int Requests(string login) => _requests.TryGetValue(login, out int count) ? count : 0;

    /// <summary>Stops the server.</summary>
    public ValueTask DisposeAsync() => _app?.DisposeAsync() ?? ValueTask.CompletedTask;

    private IResult Answer(string login, HttpContext context, Func<IResult> ok)
    {
        _requests.AddOrUpdate(login, 1, static (_, count) => count + 1);
        if (!_replies.TryGetValue(login, out (int Status, StringValues RetryAfter) reply) || reply.Status == 200)
        {
            return ok();
        }

        if (reply.RetryAfter.Count > 0)
        {
            context.Response.Headers.RetryAfter = reply.RetryAfter;
        }

        return Results.StatusCode(reply.Status);
    }
}
