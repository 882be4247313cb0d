using System;
using System.Threading;
using System.Threading.Tasks;
using Breaker;
using Breaker.Samples;
using Breaker.Samples.Refit;
using Microsoft.Extensions.DependencyInjection;
using Refit;

// A Refit client guarded by a generated decorator, against a Kestrel server on 127.0.0.1 in this process.
var clock = new SampleClock();
CircuitBreakerRegistry.Default.TimeProvider = clock;
await using SampleServer server = await SampleServer.StartAsync();

var services = new ServiceCollection();
services.AddRefitGeneratedClient<IGitHubApi>(RefitFailures.Settings(GitHubJson.Default))
    .ConfigureHttpClient(client => client.BaseAddress = server.BaseAddress);
services.AddCircuitBreakerDecorator<IGitHubApi>(static inner => new GitHubApiBreaker(inner));
await using ServiceProvider provider = services.BuildServiceProvider();
IGitHubApi github = provider.GetRequiredService<IGitHubApi>();
CancellationToken none = CancellationToken.None;

Console.WriteLine($"Refit client {github.GetType().Name} around Refit's generated client, server on {server.BaseAddress}");

Console.WriteLine();
Console.WriteLine("1. A healthy call goes through:");
Console.WriteLine($"   GetUserAsync(\"octocat\") -> {await github.GetUserAsync("octocat", none)}");

Console.WriteLine();
Console.WriteLine("2. Two 503s open the circuit of login 'flaky' (a breaker per login); the typed fallback answers:");
server.Reply("flaky", 503);
for (int call = 1; call <= 3; call++)
{
    Console.WriteLine($"   GetUserAsync(\"flaky\") -> {await github.GetUserAsync("flaky", none)}");
}

Console.WriteLine($"   the server received {server.Requests("flaky")} of 3 requests for 'flaky': the third was rejected by the open circuit");
Console.WriteLine($"   GetUserAsync(\"octocat\") -> {await github.GetUserAsync("octocat", none)} (its own breaker is closed)");

Console.WriteLine();
Console.WriteLine("3. A 404 is Refit's ApiException for the caller, and no failure for the breaker:");
server.Reply("ghost", 404);
for (int call = 1; call <= 3; call++)
{
    try
    {
        await github.GetUserAsync("ghost", none);
    }
    catch (ApiException error)
    {
        Console.WriteLine($"   GetUserAsync(\"ghost\") -> ApiException {(int)error.StatusCode}");
    }
}

Console.WriteLine($"   the server received {server.Requests("ghost")} of 3 requests for 'ghost': the circuit stayed closed");

Console.WriteLine();
Console.WriteLine("4. A 429 with Retry-After: 120 keeps the circuit of owner 'busy' open past its 30 s break:");
server.Reply("busy", 429, retryAfter: "120");
Console.WriteLine($"   GetReposAsync(\"busy\") -> {Names(await github.GetReposAsync("busy", none))} (fallback)");
Console.WriteLine($"   GetReposAsync(\"busy\") -> {Names(await github.GetReposAsync("busy", none))} (fallback; the circuit opens)");
server.Reply("busy", 200);
clock.Advance(TimeSpan.FromSeconds(31));
Console.WriteLine($"   31 s later: GetReposAsync(\"busy\") -> {Names(await github.GetReposAsync("busy", none))} (still open: Retry-After honoured)");
clock.Advance(TimeSpan.FromSeconds(90));
Console.WriteLine($"   121 s later: GetReposAsync(\"busy\") -> {Names(await github.GetReposAsync("busy", none))} (the probe reaches the server)");
Console.WriteLine($"   the server received {server.Requests("busy")} of 4 requests for 'busy'");

Console.WriteLine();
Console.WriteLine("5. Refit's transport error counts too: nothing listens on port 1.");
var unreachable = new ServiceCollection();
unreachable.AddRefitGeneratedClient<IGitHubApi>(RefitFailures.Settings(GitHubJson.Default))
    .ConfigureHttpClient(static client => client.BaseAddress = new Uri("http://127.0.0.1:1"));
unreachable.AddCircuitBreakerDecorator<IGitHubApi>(static inner => new GitHubApiBreaker(inner));
await using ServiceProvider nowhere = unreachable.BuildServiceProvider();
Console.WriteLine($"   GetUserAsync(\"offline\") -> {await nowhere.GetRequiredService<IGitHubApi>().GetUserAsync("offline", none)}");

Console.WriteLine();
Console.WriteLine("Done.");

static string Names(System.Collections.Generic.IReadOnlyList<Repo> repos) => "[" + string.Join(", ", System.Linq.Enumerable.Select(repos, static r => r.Name)) + "]";
