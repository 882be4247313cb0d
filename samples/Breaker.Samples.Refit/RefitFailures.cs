using System;
using System.Net;
using System.Net.Http;
using System.Text.Json.Serialization;
using Refit;

namespace Breaker.Samples.Refit;

/// <summary>A Refit <see cref="ApiException"/> for a response worth a breaker's attention: 5xx, 408 or 429.</summary>
public sealed class TransientApiException : ApiException
{
    /// <summary>Wraps Refit's <paramref name="error"/>, keeping its request, status, headers and content.</summary>
    public TransientApiException(ApiException error, RefitSettings settings)
        : base(error.Message, error.RequestMessage, error.HttpMethod, error.Content, error.StatusCode, error.ReasonPhrase, error.Headers, settings, error)
    {
    }
}

/// <summary>
/// The recipe docs/decorators.md#refit shows, tested in tests/Breaker.Refit.Tests: Refit's exception factory, which tells
/// transient failures apart by type, and the break-duration hook that honours Retry-After.
/// </summary>
public static class RefitFailures
{
    /// <summary>Whether a status is the server's trouble (5xx), a timeout (408) or a rate limit (429): a breaker failure.</summary>
    public static bool IsTransient(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    /// <summary>Settings on <paramref name="json"/> whose exception factory throws <see cref="TransientApiException"/> for transient statuses, <see cref="ApiException"/> otherwise.</summary>
    public static RefitSettings Settings(JsonSerializerContext json)
    {
        var settings = RefitSettings.ForJsonContext(json);
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
    /// The break hook: the wait the response that opened the circuit asked for (Breaker.Http's Retry-After parser), held to
    /// the breaker's MaxRetryAfter, when longer than the configured break; <see langword="null"/> keeps the configured one.
    /// </summary>
    public static TimeSpan? RetryAfter(BreakContext context) =>
        context.Exception is ApiException error ? RetryAfterHeader.BreakDuration(context, error.StatusCode, error.Headers) : null;
}
