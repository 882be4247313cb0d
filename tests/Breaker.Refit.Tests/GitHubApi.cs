using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Refit;

namespace Breaker.Refit.Tests;

public sealed record User(string Login, string Name);

public sealed record Repo(string Name, int Stars);

/// <summary>JSON metadata for Refit's generated client (and the server), no reflection-based serialization.</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(User))]
[System.Text.Json.Serialization.JsonSerializable(typeof(IReadOnlyList<Repo>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(List<Repo>))]
public sealed partial class GitHubJson : System.Text.Json.Serialization.JsonSerializerContext;

/// <summary>A Refit interface, as a service would get it from another team or an SDK: the test does not own its code.</summary>
public interface IGitHubApi
{
    [Get("/users/{login}")]
    Task<User> GetUserAsync(string login, CancellationToken cancellationToken);

    [Get("/users/{owner}/repos")]
    Task<IReadOnlyList<Repo>> GetReposAsync(string owner, CancellationToken cancellationToken);
}

/// <summary>
/// The decorator: one breaker per login and per owner (the route parameters), a typed fallback per method, failures
/// limited to <see cref="TransientApiException"/> (5xx, 408, 429) and Refit's transport error (<see cref="ApiRequestException"/>), and a break at least as long as the
/// server's Retry-After.
/// </summary>
[CircuitBreaker("refit-github")]
public sealed partial class GitHubApiBreaker : IGitHubApi
{
    [CircuitBreaker("refit-github.users", Key = nameof(login), Fallback = nameof(UnavailableUser), ConsecutiveFailureThreshold = 2,
        BreakDurationMs = 30_000, Handles = [typeof(TransientApiException), typeof(ApiRequestException)], BreakDurationHook = nameof(HonourRetryAfter))]
    public partial Task<User> GetUserAsync(string login, CancellationToken cancellationToken);

    [CircuitBreaker("refit-github.repos", Key = nameof(owner), Fallback = nameof(NoRepos), ConsecutiveFailureThreshold = 2,
        BreakDurationMs = 30_000, Handles = [typeof(TransientApiException), typeof(ApiRequestException)], BreakDurationHook = nameof(HonourRetryAfter))]
    public partial Task<IReadOnlyList<Repo>> GetReposAsync(string owner, CancellationToken cancellationToken);

    private static User UnavailableUser(string login, CancellationToken cancellationToken) => new(login, "(unavailable)");

    private static IReadOnlyList<Repo> NoRepos(string owner, CancellationToken cancellationToken) => [];

    private static TimeSpan? HonourRetryAfter(BreakContext context) => RefitFailures.RetryAfter(context);
}

/// <summary>
/// A decorator with one breaker per method and the break hook on its class: every generated member's breaker honours
/// Retry-After, with no member customised. Rejections throw (no fallback).
/// </summary>
[CircuitBreaker("refit-class-hook", PerMethod = true, ConsecutiveFailureThreshold = 2, BreakDurationMs = 30_000,
    Handles = [typeof(TransientApiException), typeof(ApiRequestException)], BreakDurationHook = nameof(HonourRetryAfter))]
public sealed partial class GitHubApiClassHookBreaker : IGitHubApi
{
    private static TimeSpan? HonourRetryAfter(BreakContext context) => RefitFailures.RetryAfter(context);
}
