using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Breaker.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.AspNetCore.Tests;

/// <summary>
/// Every endpoint that takes a name, called over a raw socket with names an attacker or a careless script would send: never
/// a 500, and every answer the monitor writes is problem details (or the breaker) with <c>nosniff</c>.
/// </summary>
public sealed class HostileNameTests : IAsyncLifetime
{
    private static readonly string LongName = new('n', 6_000);

    private readonly CircuitBreakerRegistry _registry = new(new FakeTimeProvider());
    private MonitorServer? _server;

    public static TheoryData<string, string> UnknownNames()
    {
        var data = new TheoryData<string, string>();
        string[] segments =
        [
            new string('x', 6_000),
            Uri.EscapeDataString("\u202Egnp.exe"),
            Uri.EscapeDataString("🔥 no such breaker 💥"),
            Uri.EscapeDataString("عربي"),
            "%2E%2E%2Fsecrets",
            "%2F",
            "%0D%0ASet-Cookie:%20x=1",
            "%1B%5B31mred",
            "%7F",
            "%FF%FE",
            "%ED%A0%80",
            "<script>",
        ];
        foreach (string action in Actions)
        {
            foreach (string segment in segments)
            {
                data.Add(action, segment);
            }
        }

        return data;
    }

    public static TheoryData<string, string> KnownNames()
    {
        var data = new TheoryData<string, string>();
        foreach (string action in Actions)
        {
            data.Add(action, LongName);
            data.Add(action, "\u202Epayments");
            data.Add(action, "💥 payments 🔥");
            data.Add(action, "eu/payments");
            data.Add(action, "tab\tand\u0001control\u007f");
            data.Add(action, "100%2F");
        }

        return data;
    }

    private static readonly string[] Actions =
        ["GET {0}", "GET {0}/events", "GET {0}/history", "POST {0}/reset", "POST {0}/isolate", "POST {0}/metrics-only?enabled=true"];

    public async Task InitializeAsync()
    {
        _server = await MonitorServer.StartAsync(_registry, app =>
        {
            app.MapCircuitBreakerMonitor();
            app.MapCircuitBreakerManagement().AllowAnonymous();
        });
        foreach (string name in new[] { LongName, "\u202Epayments", "💥 payments 🔥", "eu/payments", "tab\tand\u0001control\u007f", "100%2F" })
        {
            _registry.GetOrAdd(name);
        }
    }

    public async Task DisposeAsync() => await _server!.DisposeAsync();

    [Theory]
    [MemberData(nameof(UnknownNames))]
    public async Task An_unknown_or_malformed_name_gets_a_4xx_problem_never_a_500(string action, string segment)
    {
        RawResponse response = await SendAsync(action, segment);

        Assert.InRange(response.Status, 400, 499);
        AssertProblem(response);
    }

    [Theory]
    [MemberData(nameof(KnownNames))]
    public async Task A_breaker_with_a_strange_name_is_reached_by_its_escaped_name(string action, string name)
    {
        bool events = action.EndsWith("/events", StringComparison.Ordinal);
        if (events)
        {
            Assert.True(_registry.TryGet(name, out CircuitBreaker? breaker));
            breaker.Isolate(); // something to list
        }

        RawResponse response = await SendAsync(action, Uri.EscapeDataString(name));

        Assert.Equal(200, response.Status);
        Assert.Equal("nosniff", response.Header("X-Content-Type-Options"));
        JsonNode answer = JsonNode.Parse(response.Body)!;
        Assert.Equal(name, events ? (string)answer["events"]![0]!["breaker"]! : (string)answer["name"]!);
    }

    [Theory]
    [InlineData("GET", "/circuit-breakers//")]
    [InlineData("POST", "/circuit-breakers//reset")]
    [InlineData("POST", "/circuit-breakers//isolate")]
    [InlineData("POST", "/circuit-breakers//metrics-only?enabled=true")]
    [InlineData("POST", "/circuit-breakers/a/b/reset")]
    [InlineData("GET", "/circuit-breakers/a/b")]
    public async Task An_empty_name_or_an_unescaped_slash_gets_a_404_problem(string method, string target)
    {
        RawResponse response = await RawHttp.SendAsync(_server!.BaseAddress, method, target);

        Assert.Equal(404, response.Status);
        AssertProblem(response);
    }

    [Theory]
    [InlineData("GET", "/circuit-breakers/..")]
    [InlineData("GET", "/circuit-breakers/%2E%2E")]
    [InlineData("POST", "/circuit-breakers/../reset")]
    [InlineData("POST", "/circuit-breakers/%2e%2e/%2e%2e/reset")]
    [InlineData("GET", "/circuit-breakers/%00")]
    [InlineData("POST", "/circuit-breakers/%00/isolate")]
    [InlineData("GET", "/circuit-breakers/a\u0001b")]
    [InlineData("GET", "/circuit-breakers/a b")]
    [InlineData("GET", "/circuit-breakers/%")]
    [InlineData("POST", "/circuit-breakers/%G1/reset")]
    public async Task Dot_segments_raw_control_characters_and_broken_escapes_never_reach_a_breaker(string method, string target)
    {
        RawResponse response = await RawHttp.SendAsync(_server!.BaseAddress, method, target);

        Assert.InRange(response.Status, 400, 499);
        Assert.All(_registry, breaker => Assert.Equal(CircuitState.Closed, breaker.State));
    }

    [Fact]
    public async Task A_name_with_an_unpaired_surrogate_does_not_break_the_summary()
    {
        _registry.GetOrAdd("broken-\uD800-name");

        RawResponse summary = await RawHttp.SendAsync(_server!.BaseAddress, "GET", "/circuit-breakers");
        RawResponse totals = await RawHttp.SendAsync(_server.BaseAddress, "GET", "/circuit-breakers/metrics");

        Assert.Equal(200, summary.Status);
        Assert.Equal(200, totals.Status);
        Assert.Contains(JsonNode.Parse(summary.Body)!["breakers"]!.AsArray(), b => ((string)b!["name"]!).StartsWith("broken-", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/circuit-breakers")]
    [InlineData("/circuit-breakers/metrics")]
    [InlineData("/circuit-breakers/health")]
    [InlineData("/circuit-breakers/events")]
    [InlineData("/circuit-breakers/events?limit=0")]
    [InlineData("/circuit-breakers/ghost")]
    [InlineData("/circuit-breakers/ghost/events")]
    [InlineData("/circuit-breakers/ghost/history")]
    public async Task Every_json_answer_says_nosniff(string target)
    {
        RawResponse response = await RawHttp.SendAsync(_server!.BaseAddress, "GET", target);

        Assert.Equal("nosniff", response.Header("X-Content-Type-Options"));
    }

    private Task<RawResponse> SendAsync(string action, string segment)
    {
        string[] parts = action.Split(' ');
        return RawHttp.SendAsync(_server!.BaseAddress, parts[0], "/circuit-breakers/" + string.Format(parts[1], segment));
    }

    private static void AssertProblem(RawResponse response)
    {
        Assert.StartsWith("application/problem+json", response.Header("Content-Type"), StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Header("X-Content-Type-Options"));
        JsonNode problem = JsonNode.Parse(response.Body)!;
        Assert.Equal(response.Status, (int)problem["status"]!);
        Assert.False(string.IsNullOrWhiteSpace((string?)problem["title"]));
        Assert.DoesNotContain(response.Headers.Keys, key => key == "set-cookie");
    }
}
