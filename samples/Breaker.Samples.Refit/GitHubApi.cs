using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;
using System.Threading;
using System.Threading.Tasks;
using Refit;

namespace Breaker.Samples.Refit;

/// <summary>A GitHub user.</summary>
public sealed record User(string Login, string Name);

/// <summary>A repository.</summary>
public sealed record Repo(string Name, int Stars);

/// <summary>JSON metadata for Refit's generated client and the server: no reflection-based serialization.</summary>
[JsonSerializable(typeof(User))]
[JsonSerializable(typeof(IReadOnlyList<Repo>))]
[JsonSerializable(typeof(List<Repo>))]
public sealed partial class GitHubJson : JsonSerializerContext;

/// <summary>A Refit interface, as a service gets it from an SDK or another team: the sample pretends not to own it.</summary>
public interface IGitHubApi
{
    /// <summary>GET /users/{login}.</summary>
    [Get("/users/{login}")]
    Task<User> GetUserAsync(string login, CancellationToken cancellationToken);

    /// <summary>GET /users/{owner}/repos.</summary>
    [Get("/users/{owner}/repos")]
    Task<IReadOnlyList<Repo>> GetReposAsync(string owner, CancellationToken cancellationToken);
}

/// <summary>
/// The decorator: one breaker per login and per owner (the route parameters), a typed fallback per method, failures
/// limited to transient statuses and transport errors, and a break at least as long as the server's Retry-After.
/// </summary>
[CircuitBreaker("sample-github")]
public sealed partial class GitHubApiBreaker : IGitHubApi
{
    /// <inheritdoc />
    [CircuitBreaker("sample-github.users", Key = nameof(login), Fallback = nameof(UnavailableUser), ConsecutiveFailureThreshold = 2,
        BreakDurationMs = 30_000, Handles = [typeof(TransientApiException), typeof(ApiRequestException)], BreakDurationHook = nameof(HonourRetryAfter))]
    public partial Task<User> GetUserAsync(string login, CancellationToken cancellationToken);

    /// <inheritdoc />
    [CircuitBreaker("sample-github.repos", Key = nameof(owner), Fallback = nameof(NoRepos), ConsecutiveFailureThreshold = 2,
        BreakDurationMs = 30_000, Handles = [typeof(TransientApiException), typeof(ApiRequestException)], BreakDurationHook = nameof(HonourRetryAfter))]
    public partial Task<IReadOnlyList<Repo>> GetReposAsync(string owner, CancellationToken cancellationToken);

    private static User UnavailableUser(string login, CancellationToken cancellationToken) => new(login, "(unavailable)");

    private static IReadOnlyList<Repo> NoRepos(string owner, CancellationToken cancellationToken) => [];

    private static TimeSpan? HonourRetryAfter(BreakContext context) => RefitFailures.RetryAfter(context);
}
