using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Http.Tests;

public sealed class HandlerTests(FaultServer server) : IClassFixture<FaultServer>, IDisposable
{
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
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(429)]
    [InlineData(408)]
    public async Task Failing_statuses_open_the_breaker_and_rejected_requests_never_reach_the_server(int status)
    {
        string key = $"status-{status}";
        CircuitBreaker breaker = Breaker(key, o => o.ConsecutiveFailureThreshold = 3);
        var kinds = new List<FailureKind>();
        breaker.CallFailed += (_, e) => kinds.Add(e.Kind);
        HttpClient client = Client(breaker);

        for (int i = 0; i < 3; i++)
        {
            using HttpResponseMessage response = await client.GetAsync($"{key}/status/{status}");
            Assert.Equal(status, (int)response.StatusCode);
        }

        Assert.Equal(CircuitState.Open, breaker.State);
        Assert.Equal([FailureKind.HttpError, FailureKind.HttpError, FailureKind.HttpError], kinds);

        for (int i = 0; i < 5; i++)
        {
            BrokenCircuitException rejection = await Assert.ThrowsAsync<BrokenCircuitException>(() => client.GetAsync($"{key}/status/200"));
            Assert.Equal(key, rejection.CircuitName);
            Assert.Equal(TimeSpan.FromSeconds(30), rejection.RetryAfter);
        }

        Assert.Equal(3, server.Hits(key));
        Assert.Equal(5, breaker.GetMetrics().RejectedCalls);
    }

    [Fact]
    public async Task An_open_breaker_half_opens_after_the_break_and_recovers_on_successful_probes()
    {
        const string key = "recovery";
        CircuitBreaker breaker = Breaker(key, o =>
        {
            o.ConsecutiveFailureThreshold = 2;
            o.SuccessThreshold = 2;
        });
        HttpClient client = Client(breaker);
        (await client.GetAsync($"{key}/status/500")).Dispose();
        (await client.GetAsync($"{key}/status/500")).Dispose();
        Assert.Equal(CircuitState.Open, breaker.State);

        _time.Advance(TimeSpan.FromSeconds(29));
        await Assert.ThrowsAsync<BrokenCircuitException>(() => client.GetAsync($"{key}/status/200"));
        Assert.Equal(2, server.Hits(key));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(CircuitState.HalfOpen, breaker.State);
        using (HttpResponseMessage probe = await client.GetAsync($"{key}/status/200"))
        {
            Assert.Equal(HttpStatusCode.OK, probe.StatusCode);
        }

        Assert.Equal(CircuitState.HalfOpen, breaker.State);
        (await client.GetAsync($"{key}/status/200")).Dispose();

        Assert.Equal(CircuitState.Closed, breaker.State);
        Assert.Equal(4, server.Hits(key));
        Assert.Equal(1, breaker.GetMetrics().CircuitCloses);
    }

    [Fact]
    public async Task A_failed_probe_opens_the_breaker_again()
    {
        const string key = "failed-probe";
        CircuitBreaker breaker = Breaker(key, o => o.ConsecutiveFailureThreshold = 1);
        HttpClient client = Client(breaker);
        (await client.GetAsync($"{key}/status/502")).Dispose();
        _time.Advance(TimeSpan.FromSeconds(30));

        (await client.GetAsync($"{key}/status/502")).Dispose();

        Assert.Equal(CircuitState.Open, breaker.State);
        await Assert.ThrowsAsync<BrokenCircuitException>(() => client.GetAsync($"{key}/status/200"));
        Assert.Equal(2, server.Hits(key));
    }

    [Theory]
    [InlineData(200)]
    [InlineData(404)]
    [InlineData(400)]
    public async Task Other_statuses_count_as_successes(int status)
    {
        string key = $"success-{status}";
        CircuitBreaker breaker = Breaker(key, o => o.ConsecutiveFailureThreshold = 1);
        HttpClient client = Client(breaker);

        for (int i = 0; i < 3; i++)
        {
            (await client.GetAsync($"{key}/status/{status}")).Dispose();
        }

        Assert.Equal(CircuitState.Closed, breaker.State);
        Assert.Equal(3, breaker.GetMetrics().SuccessfulCalls);
    }

    [Fact]
    public async Task A_refused_connection_is_a_connection_error_and_opens_the_breaker()
    {
        CircuitBreaker breaker = Breaker("refused", o => o.ConsecutiveFailureThreshold = 2);
        var kinds = new List<FailureKind>();
        breaker.CallFailed += (_, e) => kinds.Add(e.Kind);
        HttpClient client = Client(breaker, new Uri($"http://127.0.0.1:{server.RefusingPort}/"));

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("anything"));
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("anything"));
        await Assert.ThrowsAsync<BrokenCircuitException>(() => client.GetAsync("anything"));

        Assert.Equal([FailureKind.ConnectionError, FailureKind.ConnectionError], kinds);
        Assert.Equal(CircuitState.Open, breaker.State);
    }

    [Fact]
    public async Task A_request_running_past_the_timeout_on_the_breakers_clock_is_cancelled_and_counts_as_a_timeout()
    {
        const string key = "timeout";
        CircuitBreaker breaker = Breaker(key, o =>
        {
            o.Timeout = TimeSpan.FromSeconds(5);
            o.ConsecutiveFailureThreshold = 1;
        });
        var kinds = new List<FailureKind>();
        breaker.CallFailed += (_, e) => kinds.Add(e.Kind);
        HttpClient client = Client(breaker);
        FaultServer.Hang hang = server.HangFor(key);

        Task<HttpResponseMessage> call = client.GetAsync($"{key}/hang");
        await hang.Arrived.Task.WaitAsync(FaultServer.Ceiling);
        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(call.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));

        TaskCanceledException cancelled = await Assert.ThrowsAsync<TaskCanceledException>(() => call.WaitAsync(FaultServer.Ceiling));
        hang.Release.TrySetResult();
        Assert.IsType<TimeoutException>(cancelled.InnerException);
        Assert.Equal([FailureKind.Timeout], kinds);
        Assert.Equal(CircuitState.Open, breaker.State);
    }

    [Fact]
    public async Task The_callers_cancellation_is_neither_a_success_nor_a_failure()
    {
        const string key = "caller-cancels";
        CircuitBreaker breaker = Breaker(key, o => o.ConsecutiveFailureThreshold = 1);
        HttpClient client = Client(breaker);
        FaultServer.Hang hang = server.HangFor(key);
        using var cancellation = new CancellationTokenSource();

        Task<HttpResponseMessage> call = client.GetAsync($"{key}/hang", cancellation.Token);
        await hang.Arrived.Task.WaitAsync(FaultServer.Ceiling);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(FaultServer.Ceiling));
        hang.Release.TrySetResult();
        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        Assert.Equal(CircuitState.Closed, metrics.State);
        Assert.Equal(1, metrics.IgnoredCalls);
        Assert.Equal(0, metrics.FailedCalls);
    }

    [Fact]
    public async Task A_fallback_response_answers_rejections_without_sending_the_request()
    {
        const string key = "fallback-response";
        CircuitBreaker breaker = Breaker(key, o => o.BreakDuration = TimeSpan.FromSeconds(12));
        var options = new HttpCircuitBreakerOptions
        {
            FallbackResponse = static (_, rejection) => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)
            {
                Headers = { RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(rejection.RetryAfter ?? TimeSpan.Zero) },
            },
        };
        HttpClient client = Client(breaker, options: options);
        (await client.GetAsync($"{key}/status/500")).Dispose();
        breaker.Isolate();

        using HttpResponseMessage response = await client.GetAsync($"{key}/status/200");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.RequestMessage);
        Assert.Equal(1, server.Hits(key));
        Assert.Equal(1, breaker.GetMetrics().FallbackCalls);
    }

    [Fact]
    public async Task A_custom_classifier_decides_which_responses_fail()
    {
        const string key = "classifier";
        CircuitBreaker breaker = Breaker(key, o => o.ConsecutiveFailureThreshold = 2);
        var options = new HttpCircuitBreakerOptions { IsFailureResponse = static r => r.StatusCode == HttpStatusCode.NotFound };
        HttpClient client = Client(breaker, options: options);

        (await client.GetAsync($"{key}/status/500")).Dispose();
        (await client.GetAsync($"{key}/status/404")).Dispose();
        (await client.GetAsync($"{key}/status/404")).Dispose();

        Assert.Equal(CircuitState.Open, breaker.State);
        Assert.Equal(1, breaker.GetMetrics().SuccessfulCalls);
    }

    [Fact]
    public async Task A_timeout_names_the_url_without_its_query_string_fragment_or_user_info()
    {
        const string key = "timeout-redacted";
        CircuitBreaker breaker = Breaker(key, o => o.Timeout = TimeSpan.FromSeconds(5));
        var failures = new List<Exception?>();
        breaker.CallFailed += (_, e) => failures.Add(e.Exception);
        HttpClient client = Client(breaker);
        FaultServer.Hang hang = server.HangFor(key);
        Uri target = new UriBuilder(new Uri(server.BaseAddress, $"{key}/hang"))
        {
            UserName = "alice",
            Password = "hunter2",
            Query = "apiKey=SECRET-KEY&card=4111111111111111",
            Fragment = "frag-SECRET",
        }.Uri;

        Task<HttpResponseMessage> call = client.GetAsync(target);
        await hang.Arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        _time.Advance(TimeSpan.FromSeconds(5));

        TaskCanceledException cancelled = await Assert.ThrowsAsync<TaskCanceledException>(() => call.WaitAsync(TimeSpan.FromSeconds(10)));
        hang.Release.TrySetResult();
        TimeoutException timeout = Assert.IsType<TimeoutException>(cancelled.InnerException);
        Assert.Contains($"{server.BaseAddress}{key}/hang ", timeout.Message, StringComparison.Ordinal);
        Assert.Same(timeout, Assert.Single(failures));
        foreach (string text in new[] { cancelled.ToString(), timeout.ToString() })
        {
            foreach (string secret in new[] { "SECRET", "4111111111111111", "hunter2", "alice", "?", "#" })
            {
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task A_shared_fallback_response_is_refused_with_a_message_naming_the_option()
    {
        const string key = "shared-fallback";
        CircuitBreaker breaker = Breaker(key, static _ => { });
        var shared = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        HttpClient client = Client(breaker, options: new HttpCircuitBreakerOptions { FallbackResponse = (_, _) => shared });
        breaker.Isolate();

        using (HttpResponseMessage first = await client.GetAsync($"{key}/status/200"))
        {
            Assert.Same(shared, first);
        }

        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetAsync($"{key}/status/200"));

        Assert.Contains("HttpCircuitBreakerOptions.FallbackResponse", error.Message, StringComparison.Ordinal);
        Assert.Contains("new HttpResponseMessage", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.Hits(key));
        Assert.Equal(1, breaker.GetMetrics().FallbackCalls);
    }

    [Fact]
    public async Task A_null_fallback_response_is_refused_with_a_message_naming_the_option()
    {
        const string key = "null-fallback";
        CircuitBreaker breaker = Breaker(key, static _ => { });
        HttpClient client = Client(breaker, options: new HttpCircuitBreakerOptions { FallbackResponse = static (_, _) => null! });
        breaker.Isolate();

        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetAsync($"{key}/status/200"));

        Assert.Contains("HttpCircuitBreakerOptions.FallbackResponse", error.Message, StringComparison.Ordinal);
        Assert.Contains("null", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, breaker.GetMetrics().FallbackCalls);
    }

    [Fact]
    public async Task A_fallback_response_that_throws_is_reported_as_the_options_fault()
    {
        const string key = "throwing-fallback";
        CircuitBreaker breaker = Breaker(key, static _ => { });
        HttpClient client = Client(breaker, options: new HttpCircuitBreakerOptions
        {
            FallbackResponse = static (_, _) => throw new FormatException("fallback bug"),
        });
        breaker.Isolate();

        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetAsync($"{key}/status/200"));

        Assert.Contains("HttpCircuitBreakerOptions.FallbackResponse", error.Message, StringComparison.Ordinal);
        Assert.Equal("fallback bug", error.InnerException?.Message);
        Assert.Equal(0, breaker.GetMetrics().FallbackCalls);
    }

    [Fact]
    public async Task SetFallbackResponse_answers_every_rejection_with_a_new_response_and_says_when_to_retry()
    {
        const string key = "fallback-status";
        CircuitBreaker breaker = Breaker(key, o => o.ConsecutiveFailureThreshold = 1);
        var options = new HttpCircuitBreakerOptions();
        options.SetFallbackResponse(HttpStatusCode.ServiceUnavailable, static rejection => new StringContent($"'{rejection.CircuitName}' is open"));
        HttpClient client = Client(breaker, options: options);
        (await client.GetAsync($"{key}/status/500")).Dispose();
        _time.Advance(TimeSpan.FromSeconds(10.2));

        var bodies = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            using HttpResponseMessage response = await client.GetAsync($"{key}/status/200");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(20), response.Headers.RetryAfter?.Delta);
            Assert.NotNull(response.RequestMessage);
            bodies.Add(await response.Content.ReadAsStringAsync());
        }

        breaker.Isolate();
        using HttpResponseMessage isolated = await client.GetAsync($"{key}/status/200");

        Assert.Equal([$"'{key}' is open", $"'{key}' is open", $"'{key}' is open"], bodies);
        Assert.Null(isolated.Headers.RetryAfter);
        Assert.Equal(1, server.Hits(key));
        Assert.Equal(4, breaker.GetMetrics().FallbackCalls);
    }

    private CircuitBreaker Breaker(string name, Action<CircuitBreakerOptions> configure)
    {
        var options = new CircuitBreakerOptions { BreakDuration = TimeSpan.FromSeconds(30), SuccessThreshold = 1 };
        configure(options);
        return new CircuitBreaker(name, options, _time);
    }

    private HttpClient Client(CircuitBreaker breaker, Uri? baseAddress = null, HttpCircuitBreakerOptions? options = null)
    {
        var client = new HttpClient(new CircuitBreakerHandler(breaker, options) { InnerHandler = new SocketsHttpHandler() })
        {
            BaseAddress = baseAddress ?? server.BaseAddress,
            Timeout = FaultServer.Ceiling,
        };
        _disposables.Add(client);
        return client;
    }
}
