using System;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Http.Tests;

public sealed class JsonClientTests(FaultServer server) : IClassFixture<FaultServer>, IDisposable
{
    private static readonly Item Fallback = new(-1, "fallback");
    private readonly FakeTimeProvider _time = new();
    private HttpClient? _httpClient;

    public void Dispose() => _httpClient?.Dispose();

    [Fact]
    public async Task The_four_verbs_send_and_deserialize_json()
    {
        const string key = "verbs";
        CircuitBreakerJsonClient client = Client(Breaker(key));

        Item? got = await client.GetAsync($"{key}/items/7", TestJson.Default.Item);
        Item? posted = await client.PostAsync($"{key}/items", new Item(0, "new"), TestJson.Default.Item, TestJson.Default.Item);
        Item? put = await client.PutAsync($"{key}/items/3", new Item(0, "renamed"), TestJson.Default.Item, TestJson.Default.Item);
        Item? deleted = await client.DeleteAsync($"{key}/items/5", TestJson.Default.Item);
        Item? noContent = await client.DeleteAsync($"{key}/items/0", TestJson.Default.Item);

        Assert.Equal(new Item(7, "item 7"), got);
        Assert.Equal(new Item(42, "new"), posted);
        Assert.Equal(new Item(3, "renamed (updated)"), put);
        Assert.Equal(new Item(5, "deleted"), deleted);
        Assert.Null(noContent);
        Assert.Equal(5, server.Hits(key));
    }

    [Fact]
    public async Task Every_verb_returns_its_fallback_when_the_circuit_rejects_and_nothing_is_sent()
    {
        const string key = "verbs-rejected";
        CircuitBreaker breaker = Breaker(key);
        CircuitBreakerJsonClient client = Client(breaker);
        breaker.Isolate();

        Assert.Equal(Fallback, await client.GetAsync($"{key}/items/1", TestJson.Default.Item, Fallback));
        Assert.Equal(Fallback, await client.PostAsync($"{key}/items", new Item(0, "x"), TestJson.Default.Item, TestJson.Default.Item, Fallback));
        Assert.Equal(Fallback, await client.PutAsync($"{key}/items/1", new Item(0, "x"), TestJson.Default.Item, TestJson.Default.Item, Fallback));
        Assert.Equal(Fallback, await client.DeleteAsync($"{key}/items/1", TestJson.Default.Item, Fallback));

        Assert.Equal(0, server.Hits(key));
        Assert.Equal(4, breaker.GetMetrics().RejectedCalls);
        Assert.Equal(4, breaker.GetMetrics().FallbackCalls);
    }

    [Fact]
    public async Task Without_a_fallback_a_rejection_throws_BrokenCircuitException()
    {
        const string key = "rejected-no-fallback";
        CircuitBreaker breaker = Breaker(key);
        CircuitBreakerJsonClient client = Client(breaker);
        breaker.Isolate();

        BrokenCircuitException rejection = await Assert.ThrowsAsync<BrokenCircuitException>(() => client.GetAsync($"{key}/items/1", TestJson.Default.Item));

        Assert.Equal(CircuitState.Isolated, rejection.State);
    }

    [Fact]
    public async Task An_error_status_throws_with_the_status_or_returns_the_fallback()
    {
        const string key = "error-status";
        CircuitBreakerJsonClient client = Client(Breaker(key));

        HttpRequestException error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync($"{key}/status/503", TestJson.Default.Item));
        Item? fallback = await client.GetAsync($"{key}/status/500", TestJson.Default.Item, Fallback);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal(Fallback, fallback);
    }

    [Fact]
    public async Task A_timeout_returns_the_fallback()
    {
        const string key = "json-timeout";
        CircuitBreakerJsonClient client = Client(Breaker(key, TimeSpan.FromSeconds(2)));
        FaultServer.Hang hang = server.HangFor(key);

        Task<Item?> call = client.GetAsync($"{key}/hang", TestJson.Default.Item, Fallback);
        await hang.Arrived.Task.WaitAsync(FaultServer.Ceiling);
        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(Fallback, await call.WaitAsync(FaultServer.Ceiling));
        hang.Release.TrySetResult();
    }

    [Fact]
    public async Task A_connection_error_returns_the_fallback()
    {
        CircuitBreaker breaker = Breaker("json-refused");
        _httpClient = new HttpClient(new CircuitBreakerHandler(breaker) { InnerHandler = new SocketsHttpHandler() })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{server.RefusingPort}/"),
        };
        var client = new CircuitBreakerJsonClient(_httpClient);

        Assert.Equal(Fallback, await client.GetAsync("items/1", TestJson.Default.Item, Fallback));
        Assert.Equal(1, breaker.GetMetrics().FailedCalls);
        Assert.Equal(1, breaker.GetMetrics().FallbackCalls);
    }

    private CircuitBreaker Breaker(string name, TimeSpan timeout = default) =>
        new(name, new CircuitBreakerOptions { Timeout = timeout }, _time);

    private CircuitBreakerJsonClient Client(CircuitBreaker breaker)
    {
        _httpClient = new HttpClient(new CircuitBreakerHandler(breaker) { InnerHandler = new SocketsHttpHandler() }) { BaseAddress = server.BaseAddress };
        return new CircuitBreakerJsonClient(_httpClient);
    }
}
