using System;
using System.Net;
using System.Net.Http;
using System.Net.Http.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;

namespace Breaker;

/// <summary>
/// A typed JSON client over an <see cref="HttpClient"/> guarded by a <see cref="CircuitBreakerHandler"/>: each verb sends
/// a request and deserializes the response through source-generated <see cref="JsonTypeInfo{T}"/> (no reflection).
/// Without a fallback, failures surface as themselves: <see cref="BrokenCircuitException"/> when the circuit rejects,
/// <see cref="HttpRequestException"/> (with its <c>StatusCode</c> on .NET 5 and later) for an error status or a
/// connection error, <see cref="TaskCanceledException"/> wrapping a <see cref="TimeoutException"/> for a timeout.
/// With a fallback, those failures return the fallback instead; the caller's own cancellation always throws.
/// </summary>
/// <param name="httpClient">The client to send through, usually configured with <c>AddHttpClient&lt;CircuitBreakerJsonClient&gt;().AddCircuitBreaker(...)</c>.</param>
public sealed class CircuitBreakerJsonClient(HttpClient httpClient)
{
    /// <summary>The underlying client.</summary>
    public HttpClient HttpClient { get; } = httpClient ?? throw new ArgumentNullException(nameof(httpClient));

    /// <summary>Sends a GET request and returns the deserialized response (<see langword="null"/>/default for an empty body).</summary>
    public Task<TResponse?> GetAsync<TResponse>(string requestUri, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, requestUri, null, responseType, Fallback<TResponse>.None, cancellationToken);

    /// <summary>Sends a GET request; returns <paramref name="fallback"/> when the circuit rejects it or the call fails.</summary>
    public Task<TResponse?> GetAsync<TResponse>(string requestUri, JsonTypeInfo<TResponse> responseType, TResponse fallback, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, requestUri, null, responseType, new Fallback<TResponse>(fallback), cancellationToken);

    /// <summary>Sends <paramref name="body"/> as JSON in a POST request and returns the deserialized response.</summary>
    public Task<TResponse?> PostAsync<TRequest, TResponse>(string requestUri, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, requestUri, JsonContent.Create(body, requestType), responseType, Fallback<TResponse>.None, cancellationToken);

    /// <summary>Sends <paramref name="body"/> as JSON in a POST request; returns <paramref name="fallback"/> when the circuit rejects it or the call fails.</summary>
    public Task<TResponse?> PostAsync<TRequest, TResponse>(string requestUri, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, TResponse fallback, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, requestUri, JsonContent.Create(body, requestType), responseType, new Fallback<TResponse>(fallback), cancellationToken);

    /// <summary>Sends <paramref name="body"/> as JSON in a PUT request and returns the deserialized response.</summary>
    public Task<TResponse?> PutAsync<TRequest, TResponse>(string requestUri, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, requestUri, JsonContent.Create(body, requestType), responseType, Fallback<TResponse>.None, cancellationToken);

    /// <summary>Sends <paramref name="body"/> as JSON in a PUT request; returns <paramref name="fallback"/> when the circuit rejects it or the call fails.</summary>
    public Task<TResponse?> PutAsync<TRequest, TResponse>(string requestUri, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, TResponse fallback, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, requestUri, JsonContent.Create(body, requestType), responseType, new Fallback<TResponse>(fallback), cancellationToken);

    /// <summary>Sends a DELETE request and returns the deserialized response (<see langword="null"/>/default for 204 No Content).</summary>
    public Task<TResponse?> DeleteAsync<TResponse>(string requestUri, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, requestUri, null, responseType, Fallback<TResponse>.None, cancellationToken);

    /// <summary>Sends a DELETE request; returns <paramref name="fallback"/> when the circuit rejects it or the call fails.</summary>
    public Task<TResponse?> DeleteAsync<TResponse>(string requestUri, JsonTypeInfo<TResponse> responseType, TResponse fallback, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, requestUri, null, responseType, new Fallback<TResponse>(fallback), cancellationToken);

    private async Task<TResponse?> SendAsync<TResponse>(
        HttpMethod method,
        string requestUri,
        HttpContent? content,
        JsonTypeInfo<TResponse> responseType,
        Fallback<TResponse> fallback,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requestUri);
        ArgumentNullException.ThrowIfNull(responseType);
        using var request = new HttpRequestMessage(method, requestUri) { Content = content };
        try
        {
            using HttpResponseMessage response = await HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            if (response.StatusCode == HttpStatusCode.NoContent || response.Content.Headers.ContentLength == 0)
            {
                return default;
            }

            return await response.Content.ReadFromJsonAsync(responseType, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (fallback.HasValue && IsDownstreamFailure(ex, cancellationToken))
        {
            if (RequestBreaker.TryGet(request, out CircuitBreaker? breaker))
            {
                breaker.RecordFallback();
            }

            return fallback.Value;
        }
    }

    private static bool IsDownstreamFailure(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        BrokenCircuitException or HttpRequestException => true,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    private readonly record struct Fallback<T>(bool HasValue, T? Value)
    {
        public static Fallback<T> None => default;

        public Fallback(T value)
            : this(true, value)
        {
        }
    }
}
