using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Breaker.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.AspNetCore.Tests;

/// <summary>The recent-events feeds (merged and per breaker) and the failure-rate history, over HTTP on a real server.</summary>
public sealed class EventEndpointTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly CircuitBreakerRegistry _registry;

    public EventEndpointTests() => _registry = new CircuitBreakerRegistry(_time);

    [Fact]
    public async Task A_breakers_events_say_what_happened_and_why_with_the_rejections_counted_together()
    {
        CircuitBreaker payments = _registry.GetOrAdd("payments", Calls.Sensitive());
        Calls.Fail(payments, 2);
        _time.Advance(TimeSpan.FromSeconds(3));
        Calls.Fail(payments, 5); // rejected
        await using MonitorServer server = await MonitorServer.StartAsync(_registry, static app => app.MapCircuitBreakerMonitor());

        JsonNode answer = await GetAsync(server, "circuit-breakers/payments/events");

        Assert.Equal(2, (int)answer["total"]!);
        JsonArray events = answer["events"]!.AsArray();
        AssertJson(
            """{"breaker":"payments","sequence":2,"time":"2026-12-01T09:00:03+00:00","kind":"CallsRejected","from":"Open","to":null,"reason":"Unknown","breakDurationMs":null,"count":5,"since":"2026-12-01T09:00:00+00:00","metricsOnly":false,"ongoing":true,"detail":null}""",
            events[0]!);
        AssertJson(
            """{"breaker":"payments","sequence":1,"time":"2026-12-01T09:00:00+00:00","kind":"StateChanged","from":"Closed","to":"Open","reason":"FailureRatio","breakDurationMs":60000,"count":0,"since":null,"metricsOnly":false,"ongoing":false,"detail":null}""",
            events[1]!);
    }

    [Fact]
    public async Task The_merged_feed_is_newest_first_across_breakers_and_pages_by_offset_and_limit()
    {
        var order = new List<string>();
        foreach (string name in new[] { "a", "b", "c", "d" })
        {
            _registry.GetOrAdd(name).Isolate();
            order.Add(name);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        _registry.GetOrAdd("quiet");
        await using MonitorServer server = await MonitorServer.StartAsync(_registry, static app => app.MapCircuitBreakerMonitor());

        JsonNode first = await GetAsync(server, "circuit-breakers/events?limit=3");
        JsonNode second = await GetAsync(server, (string)first["next"]!);

        Assert.Equal(4, (int)first["total"]!);
        Assert.Equal(["d", "c", "b"], first["events"]!.AsArray().Select(e => (string)e!["breaker"]!));
        Assert.Equal("/circuit-breakers/events?offset=3&limit=3", (string)first["next"]!);
        Assert.Equal(["a"], second["events"]!.AsArray().Select(e => (string)e!["breaker"]!));
        Assert.Null(second["next"]);
        Assert.Empty((await GetAsync(server, "circuit-breakers/events?offset=100")).AsObject()["events"]!.AsArray());
        Assert.All(first["events"]!.AsArray(), e => Assert.Equal("ByHand", (string)e!["reason"]!));
    }

    [Theory]
    [InlineData("circuit-breakers/events?limit=0")]
    [InlineData("circuit-breakers/events?limit=501")]
    [InlineData("circuit-breakers/events?offset=-1")]
    [InlineData("circuit-breakers/events?limit=1&limit=2")]
    [InlineData("circuit-breakers/payments/events?limit=x")]
    public async Task A_bad_page_is_a_400_problem_naming_the_parameter(string path)
    {
        _registry.GetOrAdd("payments");
        await using MonitorServer server = await MonitorServer.StartAsync(_registry, static app => app.MapCircuitBreakerMonitor());

        using HttpResponseMessage response = await server.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains(path.Contains("offset", StringComparison.Ordinal) ? "'offset'" : "'limit'", (string)(await response.ReadJsonAsync())["detail"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_history_keeps_ten_minutes_sampled_every_two_seconds_on_the_registrys_clock()
    {
        CircuitBreaker payments = _registry.GetOrAdd("payments", Calls.Sensitive(minimumThroughput: 4));
        await using MonitorServer server = await MonitorServer.StartAsync(_registry, static app => app.MapCircuitBreakerMonitor());
        Calls.Succeed(payments, 3);
        Calls.Pass(_time, TimeSpan.FromSeconds(4));
        Calls.Fail(payments, 1);
        Calls.Pass(_time, TimeSpan.FromSeconds(2));

        JsonNode early = await GetAsync(server, "circuit-breakers/payments/history");

        Assert.Equal("payments", (string)early["name"]!);
        Assert.Equal(2000, (double)early["intervalMs"]!);
        Assert.Equal(
            ["4000:0", "2000:0", "0:0.25"],
            early["samples"]!.AsArray().Select(s => $"{(double)s!["ageMs"]!}:{(double)s["failureRate"]!}"));

        Calls.Pass(_time, TimeSpan.FromMinutes(15));
        JsonArray late = (await GetAsync(server, "circuit-breakers/payments/history"))["samples"]!.AsArray();
        Assert.Equal(300, late.Count);
        Assert.Equal(598_000, (double)late[0]!["ageMs"]!);
    }

    [Fact]
    public async Task Stopping_the_application_stops_the_sampling()
    {
        var clock = new CountingTimeProvider(_time);
        var registry = new CircuitBreakerRegistry(clock);
        registry.GetOrAdd("payments");
        MonitorServer server = await MonitorServer.StartAsync(registry, static app => app.MapCircuitBreakerMonitor());
        Assert.Equal(1, clock.Live);

        await server.DisposeAsync();

        Assert.Equal(0, clock.Live);
    }

    private static void AssertJson(string expected, JsonNode actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), actual.ToJsonString());

    private static async Task<JsonNode> GetAsync(MonitorServer server, string path)
    {
        using HttpResponseMessage response = await server.Client.GetAsync(path.TrimStart('/'));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    /// <summary>A clock that counts the timers made from it and not yet disposed.</summary>
    private sealed class CountingTimeProvider(TimeProvider inner) : TimeProvider
    {
        private int _live;

        public int Live => _live;

        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

        public override long GetTimestamp() => inner.GetTimestamp();

        public override long TimestampFrequency => inner.TimestampFrequency;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Interlocked.Increment(ref _live);
            return new Counted(inner.CreateTimer(callback, state, dueTime, period), this);
        }

        private sealed class Counted(ITimer timer, CountingTimeProvider owner) : ITimer
        {
            private int _disposed;

            public bool Change(TimeSpan dueTime, TimeSpan period) => timer.Change(dueTime, period);

            public void Dispose()
            {
                if (Interlocked.Exchange(ref _disposed, 1) == 0)
                {
                    Interlocked.Decrement(ref owner._live);
                }

                timer.Dispose();
            }

            public ValueTask DisposeAsync()
            {
                Dispose();
                return ValueTask.CompletedTask;
            }
        }
    }
}
