using System;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading.Tasks;
using Breaker.Samples.Console.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Breaker.Samples.Console;

/// <summary>The step that guards an <see cref="HttpClient"/> with Breaker.Http against a flaky server on 127.0.0.1.</summary>
internal sealed class HttpDemo(SampleClock clock)
{
    private const string BreakerName = "pricing-api";
    private const string RatesBreakerName = "rates-api";

    public async Task HttpClientWithABreakerAsync()
    {
        Terminal.Step("An HTTP client with a breaker against a flaky local server");
        await using FlakyPriceServer server = await FlakyPriceServer.StartAsync();
        var services = new ServiceCollection();
        services.AddHttpClient("pricing", client => client.BaseAddress = server.BaseAddress)
            .AddCircuitBreaker(BreakerName, static o =>
            {
                o.FailureRatio = 0.5;
                o.MinimumThroughput = 4;
                o.SlidingWindowSize = 8;
                o.Timeout = TimeSpan.FromMilliseconds(250);
                o.BreakDuration = TimeSpan.FromSeconds(15);
                o.SuccessThreshold = 2;
            });
        await using ServiceProvider provider = services.BuildServiceProvider();
        HttpClient client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("pricing");
        Terminal.Line($"AddHttpClient(\"pricing\").AddCircuitBreaker(\"{BreakerName}\"): opens at 50% failures over 4+ calls, 250 ms timeout");
        Terminal.Line("the server runs on 127.0.0.1 and counts every request that reaches it:");

        await GetAsync(client, "prices/apple");
        server.Mode = ServerMode.Failing;
        await GetAsync(client, "prices/apple");
        server.Mode = ServerMode.Slow;
        await GetAsync(client, "prices/apple");
        await GetAsync(client, "prices/apple", ClosedPortAddress());
        CircuitBreaker breaker = CircuitBreakerRegistry.Default.TryGet(BreakerName, out CircuitBreaker? found) ? found : throw new InvalidOperationException("no breaker");
        Terminal.State(breaker);

        Terminal.Line("while it is open, requests are rejected before they are sent:");
        int before = server.Received;
        for (int i = 0; i < 3; i++)
        {
            await GetAsync(client, "prices/apple");
        }

        Terminal.Line($"the server received {server.Received - before} of those 3 requests");

        Terminal.Line("15 seconds later (on the demo's clock) the server is healthy again; two probes close the circuit:");
        server.Mode = ServerMode.Healthy;
        clock.Advance(breaker.GetMetrics().RetryAfter ?? TimeSpan.Zero);
        Terminal.State(breaker);
        await GetAsync(client, "prices/pear");
        await GetAsync(client, "prices/plum");
        Terminal.State(breaker);
    }

    public async Task RetryAfterFromTheServerAsync()
    {
        Terminal.Step("A server that answers 429 with Retry-After sets the break");
        await using FlakyPriceServer server = await FlakyPriceServer.StartAsync();
        server.Mode = ServerMode.RateLimited;
        var services = new ServiceCollection();
        services.AddHttpClient("rates", client => client.BaseAddress = server.BaseAddress)
            .AddCircuitBreaker(RatesBreakerName, static o =>
            {
                o.ConsecutiveFailureThreshold = 1;
                o.BreakDuration = TimeSpan.FromSeconds(15);
                o.SuccessThreshold = 1;
            });
        await using ServiceProvider provider = services.BuildServiceProvider();
        HttpClient client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("rates");
        Terminal.Line($"AddCircuitBreaker(\"{RatesBreakerName}\"): opens on the first failure, for 15 s unless the server asks for longer");

        await GetAsync(client, "prices/apple");
        CircuitBreaker breaker = CircuitBreakerRegistry.Default.TryGet(RatesBreakerName, out CircuitBreaker? found) ? found : throw new InvalidOperationException("no breaker");
        Terminal.State(breaker);
        Terminal.Line("the server said Retry-After: 120, so the break is 120 s, not 15 s; 15 s later it still rejects:");
        clock.Advance(TimeSpan.FromSeconds(15));
        await GetAsync(client, "prices/apple");

        Terminal.Line("after the 120 s the server asked for, it has recovered and the probe closes the circuit:");
        server.Mode = ServerMode.Healthy;
        clock.Advance(breaker.GetMetrics().RetryAfter ?? TimeSpan.Zero);
        await GetAsync(client, "prices/apple");
        Terminal.State(breaker);
        Terminal.Line($"requests that reached the server: {server.Received} of 3");
    }

    /// <summary>Sends GET <paramref name="path"/> to the server, or to <paramref name="elsewhere"/> when given, and shows what came back.</summary>
    private static async Task GetAsync(HttpClient client, string path, Uri? elsewhere = null)
    {
        try
        {
            using HttpResponseMessage response = await client.GetAsync(elsewhere is null ? new Uri(path, UriKind.Relative) : new Uri(elsewhere, path));
            string body = await response.Content.ReadAsStringAsync();
            Terminal.Outcome(response.IsSuccessStatusCode, response.IsSuccessStatusCode
                ? $"GET {path}: {body}"
                : $"GET {path}: HTTP {(int)response.StatusCode} {response.StatusCode} (counted as an HTTP error)");
        }
        catch (TaskCanceledException timeout) when (timeout.InnerException is TimeoutException)
        {
            Terminal.Outcome(false, $"GET {path}: no answer within 250 ms (counted as a timeout)");
        }
        catch (HttpRequestException connection)
        {
            Terminal.Outcome(false, $"GET {path} on a port with nothing listening: {connection.HttpRequestError} (counted as a connection error)");
        }
        catch (BrokenCircuitException rejected)
        {
            Terminal.Outcome(false, $"GET {path}: rejected, circuit {rejected.State}, retry after {rejected.RetryAfter?.TotalSeconds:0} s");
        }
    }

    /// <summary>The address of a port on 127.0.0.1 that nothing listens on.</summary>
    private static Uri ClosedPortAddress()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }
}
