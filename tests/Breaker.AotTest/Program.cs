using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Breaker;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// Exercises every Breaker library once compiled ahead of time; prints one line per check and exits with 1 if any failed.
var checks = new List<(string Name, bool Passed, string Detail)>();

// Breaker.Runtime: a breaker opens, rejects, half-opens and closes on a clock moved by hand.
var clock = new ManualClock();
var breaker = new CircuitBreaker("aot", new CircuitBreakerOptions { MinimumThroughput = 2, SlidingWindowSize = 2, SuccessThreshold = 1 }, clock);
for (int i = 0; i < 2; i++)
{
    try
    {
        breaker.Execute(static () => throw new InvalidOperationException("down"));
    }
    catch (InvalidOperationException)
    {
    }
}

bool rejected = false;
try
{
    breaker.Execute(static () => 1);
}
catch (BrokenCircuitException)
{
    rejected = true;
}

clock.Advance(breaker.Options.BreakDuration);
int answer = breaker.Execute(static () => 42);
string runtime = $"state={breaker.State} rejected={rejected} answer={answer} opens={breaker.GetMetrics().CircuitOpens}";
checks.Add(("runtime", runtime == "state=Closed rejected=True answer=42 opens=1", runtime));

// Breaker.Attributes + the generator: a [CircuitBreaker] partial method answers with its fallback once the core fails.
var prices = new PriceList();
string generated = $"{prices.Price("up")} {prices.Price("down")}";
checks.Add(("generated", generated == "10 -1", generated));

// Breaker.Extensions, Breaker.Http and Breaker.AspNetCore in a real host on 127.0.0.1.
WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseUrls("http://127.0.0.1:0");
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["CircuitBreakers:aot-configured:FailureRatio"] = "0.25" });
builder.Services.AddCircuitBreakers(builder.Configuration.GetSection("CircuitBreakers"));
builder.Services.AddHealthChecks().AddCircuitBreakers();
builder.Services.AddHttpClient("failing", static c => c.BaseAddress = new Uri("http://127.0.0.1:9/"))
    .AddCircuitBreaker("aot-http", static o => o.MinimumThroughput = 2)
    .ConfigurePrimaryHttpMessageHandler(static () => new StatusHandler(HttpStatusCode.InternalServerError));
await using WebApplication app = builder.Build();
app.MapCircuitBreakerMonitor();
app.MapHealthChecks("/health");
await app.StartAsync();

CircuitBreakerRegistry registry = app.Services.GetRequiredService<CircuitBreakerRegistry>();
double ratio = registry.GetOrAdd("aot-configured").Options.FailureRatio;
checks.Add(("extensions", ratio == 0.25, $"configured FailureRatio={ratio}"));

HttpClient failing = app.Services.GetRequiredService<IHttpClientFactory>().CreateClient("failing");
var statuses = new List<string>();
for (int i = 0; i < 3; i++)
{
    try
    {
        using HttpResponseMessage response = await failing.GetAsync("x");
        statuses.Add(((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
    catch (BrokenCircuitException ex)
    {
        statuses.Add("rejected:" + ex.State);
    }
}

string http = string.Join(' ', statuses);
checks.Add(("http", http == "500 500 rejected:Open", http));

string address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
using var monitor = new HttpClient { BaseAddress = new Uri(address) };
using (var details = JsonDocument.Parse(await monitor.GetStringAsync("/circuit-breakers/aot-http")))
{
    string state = details.RootElement.GetProperty("state").GetString() ?? "";
    checks.Add(("aspnetcore", string.Equals(state, "open", StringComparison.OrdinalIgnoreCase), $"monitor says aot-http is {state}"));
}

string health = await monitor.GetStringAsync("/health");
checks.Add(("health", health == "Degraded", $"health {health}"));
await app.StopAsync();

foreach ((string name, bool passed, string detail) in checks)
{
    Console.WriteLine($"{(passed ? "ok" : "FAILED")} {name}: {detail}");
}

return checks.All(static c => c.Passed) ? 0 : 1;

/// <summary>A clock moved by hand.</summary>
internal sealed class ManualClock : TimeProvider
{
    private DateTimeOffset _now = DateTimeOffset.UnixEpoch;

    public override DateTimeOffset GetUtcNow() => _now;

    public override long GetTimestamp() => _now.UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public void Advance(TimeSpan by) => _now += by;
}

/// <summary>A service whose body the generator writes.</summary>
internal sealed partial class PriceList
{
    [CircuitBreaker("aot-generated", Fallback = nameof(Unknown))]
    public partial int Price(string sku);

    private static int PriceCore(string sku) => sku == "up" ? 10 : throw new InvalidOperationException(sku);

    private static int Unknown(string sku) => -1;
}

/// <summary>Answers every request with one status code, without a network.</summary>
internal sealed class StatusHandler(HttpStatusCode status) : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Task.FromResult(new HttpResponseMessage(status) { RequestMessage = request });
}
