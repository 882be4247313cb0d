using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Refit;

namespace Breaker.Refit.Tests;

/// <summary>
/// A generated decorator on a real Refit client (AddRefitClient + AddCircuitBreakerDecorator) calling Kestrel on 127.0.0.1.
/// Every test uses its own logins, as the per-login breakers live in the process-wide registry.
/// </summary>
public sealed class RefitDecoratorTests : IClassFixture<SampleServerFixture>, IDisposable
{
    private readonly SampleServer _server;
    private readonly ServiceProvider _services;
    private readonly IGitHubApi _api;

    public RefitDecoratorTests(SampleServerFixture fixture)
    {
        _server = fixture.Server;
        var services = new ServiceCollection();
        services.AddRefitGeneratedClient<IGitHubApi>(RefitFailures.Settings(GitHubJson.Default))
            .ConfigureHttpClient(client => client.BaseAddress = fixture.Server.BaseAddress);
        services.AddCircuitBreakerDecorator<IGitHubApi>(static inner => new GitHubApiBreaker(inner));
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        _api = _services.GetRequiredService<IGitHubApi>();
    }

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task The_registered_client_is_the_decorator_around_Refits_client_and_a_healthy_call_goes_through()
    {
        Assert.IsType<GitHubApiBreaker>(_api);

        User user = await _api.GetUserAsync("healthy", CancellationToken.None);

        Assert.Equal(new User("healthy", "The healthy"), user);
        Assert.Equal([new Repo("healthy/breaker", 42)], await _api.GetReposAsync("healthy", CancellationToken.None));
        Assert.Equal(2, _server.Requests("healthy"));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(408)]
    [InlineData(429)]
    public async Task A_transient_status_is_a_failure_the_fallback_answers_and_once_open_no_call_reaches_the_server(int status)
    {
        string login = "transient-" + status;
        _server.Reply(login, status);

        Assert.Equal(new User(login, "(unavailable)"), await _api.GetUserAsync(login, CancellationToken.None));
        Assert.Equal(new User(login, "(unavailable)"), await _api.GetUserAsync(login, CancellationToken.None));
        Assert.Equal(2, _server.Requests(login));

        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(new User(login, "(unavailable)"), await _api.GetUserAsync(login, CancellationToken.None));
        }

        Assert.Equal(2, _server.Requests(login));
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(404)]
    [InlineData(422)]
    public async Task Another_client_error_propagates_as_Refits_ApiException_and_never_opens_the_circuit(int status)
    {
        string login = "client-error-" + status;
        _server.Reply(login, status);

        for (int i = 0; i < 4; i++)
        {
            ApiException error = await Assert.ThrowsAsync<ApiException>(() => _api.GetUserAsync(login, CancellationToken.None));
            Assert.Equal((HttpStatusCode)status, error.StatusCode);
        }

        Assert.Equal(4, _server.Requests(login));
    }

    [Fact]
    public async Task Each_login_has_its_own_breaker_and_each_method_its_own_typed_fallback()
    {
        _server.Reply("down-user", 500);

        await _api.GetUserAsync("down-user", CancellationToken.None);
        await _api.GetUserAsync("down-user", CancellationToken.None);
        Assert.Equal(new User("down-user", "(unavailable)"), await _api.GetUserAsync("down-user", CancellationToken.None));
        Assert.Equal(2, _server.Requests("down-user"));

        Assert.Equal(new User("up-user", "The up-user"), await _api.GetUserAsync("up-user", CancellationToken.None));
        Assert.Equal(1, _server.Requests("up-user"));

        _server.Reply("down-owner", 503);
        Assert.Empty(await _api.GetReposAsync("down-owner", CancellationToken.None));
        Assert.Empty(await _api.GetReposAsync("down-owner", CancellationToken.None));
        Assert.Empty(await _api.GetReposAsync("down-owner", CancellationToken.None));
        Assert.Equal(2, _server.Requests("down-owner"));
    }

    [Fact]
    public async Task Retry_After_from_the_ApiException_keeps_the_circuit_open_past_the_configured_break()
    {
        _server.Reply("rate-limited", 429, retryAfter: "120");
        _server.Reply("plain-failure", 500);
        foreach (string login in new[] { "rate-limited", "plain-failure" })
        {
            await _api.GetUserAsync(login, CancellationToken.None);
            await _api.GetUserAsync(login, CancellationToken.None);
        }

        _server.Reply("rate-limited", 200);
        _server.Reply("plain-failure", 200);
        TestClock.Time.Advance(TimeSpan.FromSeconds(31));

        // The configured 30 s break is over for the plain failure, not for the 429 that asked for 120 s.
        Assert.Equal(new User("plain-failure", "The plain-failure"), await _api.GetUserAsync("plain-failure", CancellationToken.None));
        Assert.Equal(new User("rate-limited", "(unavailable)"), await _api.GetUserAsync("rate-limited", CancellationToken.None));
        Assert.Equal(2, _server.Requests("rate-limited"));

        TestClock.Time.Advance(TimeSpan.FromSeconds(90));
        Assert.Equal(new User("rate-limited", "The rate-limited"), await _api.GetUserAsync("rate-limited", CancellationToken.None));
        Assert.Equal(3, _server.Requests("rate-limited"));
    }

    // The break a 429's Retry-After may set is at least the configured 30 s and at most MaxRetryAfter (300 s by default):
    // garbage asks for nothing, and nothing a server sends throws out of the hook into the caller.
    public static TheoryData<string, string[], int> HostileRetryAfter => new()
    {
        { "negative", ["-5"], 30 },
        { "zero", ["0"], 30 },
        { "shorter than the break", ["10"], 30 },
        { "longer than the break", ["90"], 90 },
        { "fractional", ["120.5"], 30 },
        { "words", ["soon"], 30 },
        { "a list on one line", ["120, 60"], 30 },
        { "past int.MaxValue seconds", ["99999999999"], 30 },
        { "int.MaxValue seconds", ["2147483647"], 300 },
        { "a date in the past", ["Sat, 01 Jan 2000 00:00:00 GMT"], 30 },
        { "the last day of year 9999", ["Fri, 31 Dec 9999 23:59:59 GMT"], 300 },
        { "a date that is no date", ["Mon, 32 Foo 2031 99:99:99 GMT"], 30 },
        { "two header lines", ["120", "60"], 120 },
        { "garbage, then a value", ["soon", "90"], 30 },
    };

    [Theory]
    [MemberData(nameof(HostileRetryAfter))]
    public async Task A_hostile_Retry_After_holds_the_break_between_the_configured_one_and_MaxRetryAfter_and_never_throws(string what, string[] lines, int expectedSeconds)
    {
        string login = "hostile-" + string.Concat(what.Where(char.IsLetterOrDigit));
        var unavailable = new User(login, "(unavailable)");
        CircuitBreaker breaker = CircuitBreakerRegistry.Default.GetOrAddGroup<string>("sample-github.users").GetBreaker(login);
        int hookFailures = 0;
        breaker.BreakDurationHookFailed += (_, _) => Interlocked.Increment(ref hookFailures);
        _server.Reply(login, 429, lines);
        Assert.Equal(unavailable, await _api.GetUserAsync(login, CancellationToken.None));
        Assert.Equal(unavailable, await _api.GetUserAsync(login, CancellationToken.None));
        Assert.Equal(CircuitState.Open, breaker.State);
        Assert.Equal(0, hookFailures);
        _server.Reply(login, 200);

        TestClock.Time.Advance(TimeSpan.FromSeconds(expectedSeconds - 1));
        Assert.Equal(unavailable, await _api.GetUserAsync(login, CancellationToken.None));
        Assert.Equal(2, _server.Requests(login));

        TestClock.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(new User(login, "The " + login), await _api.GetUserAsync(login, CancellationToken.None));
        Assert.Equal(3, _server.Requests(login));
    }

    [Fact]
    public async Task A_break_hook_on_the_decorators_class_serves_every_generated_member()
    {
        var services = new ServiceCollection();
        services.AddRefitGeneratedClient<IGitHubApi>(RefitFailures.Settings(GitHubJson.Default))
            .ConfigureHttpClient(client => client.BaseAddress = _server.BaseAddress);
        services.AddCircuitBreakerDecorator<IGitHubApi>(static inner => new GitHubApiClassHookBreaker(inner));
        using ServiceProvider provider = services.BuildServiceProvider();
        IGitHubApi api = provider.GetRequiredService<IGitHubApi>();
        _server.Reply("class-hook", 429, retryAfter: "120");
        _server.Reply("class-hook-plain", 500);
        foreach (string owner in new[] { "class-hook", "class-hook" })
        {
            await Assert.ThrowsAsync<TransientApiException>(() => api.GetReposAsync(owner, CancellationToken.None));
        }

        foreach (string login in new[] { "class-hook-plain", "class-hook-plain" })
        {
            await Assert.ThrowsAsync<TransientApiException>(() => api.GetUserAsync(login, CancellationToken.None));
        }

        _server.Reply("class-hook", 200);
        _server.Reply("class-hook-plain", 200);
        TestClock.Time.Advance(TimeSpan.FromSeconds(31));

        // GetUserAsync's breaker took its configured 30 s; GetReposAsync's, opened by the 429, the 120 s it asked for.
        Assert.Equal(new User("class-hook-plain", "The class-hook-plain"), await api.GetUserAsync("class-hook-plain", CancellationToken.None));
        await Assert.ThrowsAsync<BrokenCircuitException>(() => api.GetReposAsync("class-hook", CancellationToken.None));
        Assert.Equal(2, _server.Requests("class-hook"));

        TestClock.Time.Advance(TimeSpan.FromSeconds(90));
        Assert.Equal([new Repo("class-hook/breaker", 42)], await api.GetReposAsync("class-hook", CancellationToken.None));
    }

    [Fact]
    public async Task A_connection_failure_is_a_failure_too()
    {
        var services = new ServiceCollection();
        services.AddRefitGeneratedClient<IGitHubApi>(RefitFailures.Settings(GitHubJson.Default))
            .ConfigureHttpClient(client => client.BaseAddress = new Uri("http://127.0.0.1:1"));
        services.AddCircuitBreakerDecorator<IGitHubApi>(static inner => new GitHubApiBreaker(inner));
        using ServiceProvider provider = services.BuildServiceProvider();
        IGitHubApi api = provider.GetRequiredService<IGitHubApi>();

        Assert.Equal(new User("unreachable", "(unavailable)"), await api.GetUserAsync("unreachable", CancellationToken.None));
    }
}
