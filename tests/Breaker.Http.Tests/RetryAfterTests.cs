using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Http.Tests;

/// <summary>
/// A 429 or 503 with Retry-After, from a real Kestrel server on 127.0.0.1: the break it opens, what rejections and the
/// fallback response say, and every hostile value a server (or whatever sits in front of it) can send. The breaker's fake
/// clock starts in 2000 while the server's runs in the present: the two machines' clocks are 25 years apart.
/// </summary>
public sealed class RetryAfterTests(FaultServer server) : IClassFixture<FaultServer>, IDisposable
{
    private static readonly TimeSpan Break = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new();
    private readonly List<IDisposable> _disposables = [];

    public void Dispose()
    {
        foreach (IDisposable disposable in _disposables)
        {
            disposable.Dispose();
        }
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public async Task A_Retry_After_in_seconds_that_trips_the_breaker_is_the_break_and_what_rejections_say(int status)
    {
        string key = $"seconds-{status}";
        CircuitBreaker breaker = Breaker(key);
        HttpClient client = Client(breaker);

        using (HttpResponseMessage response = await client.GetAsync($"{key}/retry-after/{status}?value=120"))
        {
            Assert.Equal(status, (int)response.StatusCode);
        }

        Assert.Equal(CircuitState.Open, breaker.State);
        BrokenCircuitException rejection = await Assert.ThrowsAsync<BrokenCircuitException>(() => client.GetAsync($"{key}/status/200"));
        Assert.Equal(TimeSpan.FromSeconds(120), rejection.RetryAfter);

        _time.Advance(TimeSpan.FromSeconds(119));
        await Assert.ThrowsAsync<BrokenCircuitException>(() => client.GetAsync($"{key}/status/200"));
        Assert.Equal(1, server.Hits(key));
        _time.Advance(TimeSpan.FromSeconds(1));
        (await client.GetAsync($"{key}/status/200")).Dispose();
        Assert.Equal(CircuitState.Closed, breaker.State);
        Assert.Equal(2, server.Hits(key));
    }

    [Fact]
    public async Task A_Retry_After_date_is_read_against_the_responses_own_Date_so_clocks_far_apart_do_not_matter()
    {
        const string key = "date";
        CircuitBreaker breaker = Breaker(key);
        HttpClient client = Client(breaker);

        // The server's clock says 2031; the breaker's says 2000. Ninety seconds on the server's clock is ninety seconds here.
        var serverNow = new DateTimeOffset(2031, 5, 6, 7, 8, 9, TimeSpan.Zero);
        (await client.GetAsync($"{key}/retry-after/503?value={HttpDate(serverNow.AddSeconds(90))}&date={HttpDate(serverNow)}")).Dispose();

        Assert.Equal(TimeSpan.FromSeconds(90), breaker.GetMetrics().RetryAfter);
    }

    [Fact]
    public async Task Without_a_Date_a_Retry_After_date_is_read_against_the_breakers_clock()
    {
        CircuitBreaker fast = Breaker("no-date-skewed");
        CircuitBreaker exact = Breaker("no-date");
        DateTimeOffset now = _time.GetUtcNow();

        // Kestrel always sends a Date, so these responses come from a handler in the process.
        await SendAsync(fast, Respond(HttpStatusCode.TooManyRequests, retryAfter: [now.AddYears(25).ToString("r", CultureInfo.InvariantCulture)]));
        await SendAsync(exact, Respond(HttpStatusCode.TooManyRequests, retryAfter: [now.AddSeconds(75).ToString("r", CultureInfo.InvariantCulture)]));

        // 25 years ahead of this clock: held to MaxRetryAfter. 75 seconds ahead: 75 seconds.
        Assert.Equal(new CircuitBreakerOptions().MaxRetryAfter, fast.GetMetrics().RetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(75), exact.GetMetrics().RetryAfter);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("120 seconds")]
    [InlineData("120\u00a0")]
    public async Task Values_no_server_on_the_loopback_would_send_ask_nothing(string value)
    {
        CircuitBreaker breaker = Breaker("raw");

        await SendAsync(breaker, Respond(HttpStatusCode.ServiceUnavailable, retryAfter: [value]));

        Assert.Equal(Break, breaker.GetMetrics().RetryAfter);
    }

    [Fact]
    public async Task A_Retry_After_date_in_the_past_asks_nothing()
    {
        const string key = "past";
        CircuitBreaker breaker = Breaker(key);
        HttpClient client = Client(breaker);
        var serverNow = new DateTimeOffset(2031, 5, 6, 7, 8, 9, TimeSpan.Zero);

        (await client.GetAsync($"{key}/retry-after/503?value={HttpDate(serverNow.AddSeconds(-90))}&date={HttpDate(serverNow)}")).Dispose();

        Assert.Equal(Break, breaker.GetMetrics().RetryAfter);
    }

    public static TheoryData<string, string[], int, int> HostileValues => new()
    {
        { "negative", ["-5"], 1, 30 },
        { "zero", ["0"], 1, 30 },
        { "shorter than the configured break", ["10"], 1, 30 },
        { "fractional", ["120.5"], 1, 30 },
        { "words", ["soon"], 1, 30 },
        { "a list on one line", ["120, 60"], 1, 30 },
        { "int.MaxValue seconds (68 years)", ["2147483647"], 1, 300 },
        { "past int.MaxValue seconds", ["2147483648"], 1, 30 },
        { "twenty digits", ["99999999999999999999"], 1, 30 },
        { "the last day of year 9999", ["Fri, 31 Dec 9999 23:59:59 GMT"], 1, 300 },
        { "a date that is no date", ["Mon, 32 Foo 2031 99:99:99 GMT"], 1, 30 },

        // Several lines of a header that takes one value: .NET's RetryAfter reads the first line only.
        { "two header lines", ["120", "60"], 1, 120 },
        { "garbage, then a value", ["soon", "90"], 1, 30 },
        { "a thousand header lines", ["120"], 1000, 120 },
        { "a thousand lines of garbage", ["soon"], 1000, 30 },
    };

    [Theory]
    [MemberData(nameof(HostileValues))]
    public async Task Hostile_Retry_After_values_never_shorten_the_break_nor_take_it_past_the_longest(string what, string[] values, int repeat, int expectedSeconds)
    {
        string key = "hostile-" + string.Concat(what.Where(char.IsLetterOrDigit));
        CircuitBreaker breaker = Breaker(key);
        HttpClient client = Client(breaker);
        string query = string.Join("&", values.Select(static v => "value=" + Uri.EscapeDataString(v))) + "&repeat=" + repeat.ToString(CultureInfo.InvariantCulture);

        using (HttpResponseMessage response = await client.GetAsync($"{key}/retry-after/429?{query}"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            Assert.Equal(values.Length * repeat, response.Headers.NonValidated.TryGetValues("Retry-After", out HeaderStringValues sent) ? sent.Count : 0);
        }

        Assert.Equal(CircuitState.Open, breaker.State);
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), breaker.GetMetrics().RetryAfter);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(408)]
    public async Task Retry_After_on_another_failing_status_asks_nothing(int status)
    {
        string key = $"other-{status}";
        CircuitBreaker breaker = Breaker(key);
        HttpClient client = Client(breaker);

        (await client.GetAsync($"{key}/retry-after/{status}?value=600")).Dispose();

        Assert.Equal(Break, breaker.GetMetrics().RetryAfter);
    }

    [Fact]
    public async Task HonorRetryAfter_false_keeps_the_configured_break()
    {
        const string key = "ignored";
        CircuitBreaker breaker = Breaker(key);
        HttpClient client = Client(breaker, new HttpCircuitBreakerOptions { HonorRetryAfter = false });

        (await client.GetAsync($"{key}/retry-after/429?value=600")).Dispose();

        Assert.Equal(Break, breaker.GetMetrics().RetryAfter);
    }

    [Fact]
    public async Task A_503_that_IsFailureResponse_calls_a_success_asks_nothing()
    {
        const string key = "not-a-failure";
        CircuitBreaker breaker = Breaker(key, o => o.ConsecutiveFailureThreshold = 2);
        HttpClient client = Client(breaker, new HttpCircuitBreakerOptions { IsFailureResponse = static r => r.StatusCode == HttpStatusCode.InternalServerError });

        (await client.GetAsync($"{key}/retry-after/503?value=600")).Dispose();
        (await client.GetAsync($"{key}/status/500")).Dispose();
        (await client.GetAsync($"{key}/status/500")).Dispose();

        Assert.Equal(Break, breaker.GetMetrics().RetryAfter);
    }

    [Fact]
    public async Task Below_the_thresholds_a_Retry_After_opens_nothing_and_holds_a_later_opening_to_what_is_left_of_it()
    {
        const string key = "below";
        CircuitBreaker breaker = Breaker(key, o => o.ConsecutiveFailureThreshold = 3);
        HttpClient client = Client(breaker);

        using (HttpResponseMessage limited = await client.GetAsync($"{key}/retry-after/429?value=300"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        }

        Assert.Equal(CircuitState.Closed, breaker.State);
        Assert.Equal(1, breaker.GetMetrics().FailedCalls);
        using (HttpResponseMessage next = await client.GetAsync($"{key}/status/500"))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, next.StatusCode);
        }

        _time.Advance(TimeSpan.FromSeconds(100));
        (await client.GetAsync($"{key}/status/500")).Dispose();

        Assert.Equal(CircuitState.Open, breaker.State);
        Assert.Equal(TimeSpan.FromSeconds(200), breaker.GetMetrics().RetryAfter);
        Assert.Equal(3, server.Hits(key));
    }

    [Fact]
    public async Task A_probe_answered_with_Retry_After_reopens_the_circuit_for_it()
    {
        const string key = "probe";
        CircuitBreaker breaker = Breaker(key);
        HttpClient client = Client(breaker);
        (await client.GetAsync($"{key}/status/500")).Dispose();
        _time.Advance(Break);

        (await client.GetAsync($"{key}/retry-after/503?value=240")).Dispose();

        Assert.Equal(CircuitState.Open, breaker.State);
        Assert.Equal(TimeSpan.FromSeconds(240), breaker.GetMetrics().RetryAfter);
    }

    [Fact]
    public async Task The_fallback_response_tells_the_caller_the_wait_the_server_asked_for()
    {
        const string key = "fallback";
        CircuitBreaker breaker = Breaker(key);
        var options = new HttpCircuitBreakerOptions();
        options.SetFallbackResponse(HttpStatusCode.ServiceUnavailable);
        HttpClient client = Client(breaker, options);
        (await client.GetAsync($"{key}/retry-after/429?value=120")).Dispose();
        _time.Advance(TimeSpan.FromSeconds(20.5));

        using HttpResponseMessage fallback = await client.GetAsync($"{key}/status/200");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, fallback.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(100), fallback.Headers.RetryAfter?.Delta);
        Assert.Equal(1, server.Hits(key));
    }

    [Fact]
    public async Task A_hook_sees_the_servers_request_and_may_take_it_exactly()
    {
        const string key = "hooked";
        var seen = new List<TimeSpan?>();
        CircuitBreaker breaker = Breaker(key, o => o.BreakDurationHook = c =>
        {
            seen.Add(c.RequestedBreak);
            return c.RequestedBreak;
        });
        HttpClient client = Client(breaker);

        (await client.GetAsync($"{key}/retry-after/429?value=5")).Dispose();

        Assert.Equal([TimeSpan.FromSeconds(5)], seen);
        Assert.Equal(TimeSpan.FromSeconds(5), breaker.GetMetrics().RetryAfter);
    }

    private static string HttpDate(DateTimeOffset instant) => Uri.EscapeDataString(instant.ToString("r", CultureInfo.InvariantCulture));

    private static Func<HttpRequestMessage, HttpResponseMessage> Respond(HttpStatusCode status, string[] retryAfter) => request =>
    {
        var response = new HttpResponseMessage(status) { RequestMessage = request };
        foreach (string value in retryAfter)
        {
            response.Headers.TryAddWithoutValidation("Retry-After", value);
        }

        return response;
    };

    private async Task SendAsync(CircuitBreaker breaker, Func<HttpRequestMessage, HttpResponseMessage> respond)
    {
        using var client = new HttpClient(new CircuitBreakerHandler(breaker) { InnerHandler = new StubHandler(respond) });
        (await client.GetAsync(new Uri("http://127.0.0.1/stub"))).Dispose();
        Assert.Equal(CircuitState.Open, breaker.State);
    }

    private CircuitBreaker Breaker(string name, Action<CircuitBreakerOptions>? configure = null)
    {
        var options = new CircuitBreakerOptions { BreakDuration = Break, SuccessThreshold = 1, ConsecutiveFailureThreshold = 1 };
        configure?.Invoke(options);
        return new CircuitBreaker(name, options, _time);
    }

    private HttpClient Client(CircuitBreaker breaker, HttpCircuitBreakerOptions? options = null)
    {
        var client = new HttpClient(new CircuitBreakerHandler(breaker, options) { InnerHandler = new SocketsHttpHandler() })
        {
            BaseAddress = server.BaseAddress,
            Timeout = FaultServer.Ceiling,
        };
        _disposables.Add(client);
        return client;
    }

    private sealed class StubHandler(Func<HttpRequestMessage, HttpResponseMessage> respond) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(respond(request));
    }
}
