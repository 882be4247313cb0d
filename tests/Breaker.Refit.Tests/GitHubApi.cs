using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
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

/// <summary>A Refit <see cref="ApiException"/> for a response worth a breaker's attention: 5xx, 408 or 429.</summary>
public sealed class TransientApiException : ApiException
{
    public TransientApiException(ApiException error, RefitSettings settings)
        : base(error.Message, error.RequestMessage, error.HttpMethod, error.Content, error.StatusCode, error.ReasonPhrase, error.Headers, settings, error)
    {
    }
}

/// <summary>The recipe docs/decorators.md shows: Refit's exception factory, and the break-duration hook that reads Retry-After.</summary>
public static class RefitFailures
{
    /// <summary>Whether a status is the server's trouble (5xx), a timeout (408) or a rate limit (429): a breaker failure.</summary>
    public static bool IsTransient(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    /// <summary>Settings whose exception factory throws <see cref="TransientApiException"/> for transient statuses, <see cref="ApiException"/> otherwise.</summary>
    public static RefitSettings Settings()
    {
        var settings = RefitSettings.ForJsonContext(GitHubJson.Default);
        settings.ExceptionFactory = async response =>
        {
            if (response.IsSuccessStatusCode)
            {
                return null;
            }

            HttpRequestMessage request = response.RequestMessage!;
            ApiException error = await ApiException.Create(request, request.Method, response, settings).ConfigureAwait(false);
            return IsTransient(response.StatusCode) ? new TransientApiException(error, settings) : error;
        };
        return settings;
    }

    /// <summary>
    /// The wait the response that opened the circuit asked for (Breaker.Http's parser), held to the breaker's
    /// MaxRetryAfter, when longer than the configured break; <see langword="null"/> keeps the configured one.
    /// </summary>
    public static TimeSpan? RetryAfter(BreakContext context) =>
        context.Exception is ApiException error ? RetryAfterHeader.BreakDuration(context, error.StatusCode, error.Headers) : null;
}
