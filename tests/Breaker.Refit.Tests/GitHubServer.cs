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

namespace Breaker.Refit.Tests;

/// <summary>
/// A real Kestrel server on 127.0.0.1 playing the GitHub API. A test sets the status (and Retry-After) a login or owner
/// answers with; the server counts every request it receives per login, which proves that rejected calls never reach it.
/// </summary>
public sealed class GitHubServer : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, (int Status, string[] RetryAfter)> _replies = new();
    private readonly ConcurrentDictionary<string, int> _requests = new();
    private WebApplication? _app;

    public string BaseAddress { get; private set; } = "";

    public void Reply(string login, int status, string? retryAfter = null) => _replies[login] = (status, retryAfter is null ? [] : [retryAfter]);

    /// <summary>Answers <paramref name="status"/> with one Retry-After header line per value, as they are (garbage included).</summary>
    public void Reply(string login, int status, string[] retryAfterLines) => _replies[login] = (status, retryAfterLines);

    public int Requests(string login) => _requests.TryGetValue(login, out int count) ? count : 0;

    public async Task InitializeAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Urls.Add("http://127.0.0.1:0");
        _app.MapGet("/users/{login}", (string login, HttpContext context) =>
            Answer(login, context, () => Results.Json(new User(login, "The " + login), GitHubJson.Default.User)));
        _app.MapGet("/users/{owner}/repos", (string owner, HttpContext context) =>
            Answer(owner, context, () => Results.Json(new List<Repo> { new(owner + "/breaker", 42) }, GitHubJson.Default.ListRepo)));
        await _app.StartAsync();
        BaseAddress = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private IResult Answer(string login, HttpContext context, System.Func<IResult> ok)
    {
        _requests.AddOrUpdate(login, 1, static (_, count) => count + 1);
        if (!_replies.TryGetValue(login, out (int Status, string[] RetryAfter) reply) || reply.Status == 200)
        {
            return ok();
        }

        if (reply.RetryAfter.Length > 0)
        {
            context.Response.Headers.RetryAfter = new Microsoft.Extensions.Primitives.StringValues(reply.RetryAfter);
        }

        return Results.StatusCode(reply.Status);
    }
}
