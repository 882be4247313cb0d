using System;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Breaker;

/// <summary>
/// Guards every request with a circuit breaker: 5xx, 408 and 429 responses count as <see cref="FailureKind.HttpError"/>,
/// <see cref="HttpRequestException"/> and socket failures as <see cref="FailureKind.ConnectionError"/>, and a request still
/// running after the breaker's <see cref="CircuitBreakerOptions.Timeout"/> is cancelled and counts as <see cref="FailureKind.Timeout"/>.
/// The caller's own cancellation counts as nothing. An open circuit rejects requests without sending them. A failing 429 or
/// 503 with <c>Retry-After</c> makes a break it opens (or that opens before that wait is over) last at least that long.
/// </summary>
public sealed class CircuitBreakerHandler : DelegatingHandler
{
    private const string FallbackResponseOption = "HttpCircuitBreakerOptions.FallbackResponse";

    private readonly Func<HttpRequestMessage, CircuitBreaker> _selectBreaker;
    private readonly Func<HttpResponseMessage, bool> _isFailureResponse;
    private readonly Func<HttpRequestMessage, BrokenCircuitException, HttpResponseMessage>? _fallbackResponse;
    private readonly bool _honorRetryAfter;

    /// <summary>Creates a handler that guards every request with <paramref name="breaker"/>.</summary>
    /// <param name="breaker">The breaker.</param>
    /// <param name="options">How responses are judged and rejections answered; <see langword="null"/> for the defaults.</param>
    public CircuitBreakerHandler(CircuitBreaker breaker, HttpCircuitBreakerOptions? options = null)
        : this(SingleBreaker(breaker), options)
    {
    }

    /// <summary>Creates a handler that guards each request with the breaker <paramref name="selectBreaker"/> picks for it (per host, say).</summary>
    /// <param name="selectBreaker">Picks the breaker for a request; called once per request.</param>
    /// <param name="options">How responses are judged and rejections answered; <see langword="null"/> for the defaults.</param>
    public CircuitBreakerHandler(Func<HttpRequestMessage, CircuitBreaker> selectBreaker, HttpCircuitBreakerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(selectBreaker);
        _selectBreaker = selectBreaker;
        _isFailureResponse = options?.IsFailureResponse ?? IsFailureStatus;
        _fallbackResponse = options?.FallbackResponse;
        _honorRetryAfter = options?.HonorRetryAfter ?? true;
    }

    /// <summary>Whether a response's status counts as a failure by default: 5xx, 408 Request Timeout or 429 Too Many Requests.</summary>
    /// <param name="response">The response.</param>
    /// <returns><see langword="true"/> when the status is one of those.</returns>
    public static bool IsFailureStatus(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        // By number: netstandard2.0's HttpStatusCode has no TooManyRequests (429).
        int status = (int)response.StatusCode;
        return status >= 500 || status is (int)HttpStatusCode.RequestTimeout or 429;
    }

    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // In a test's CircuitBreakerScope, the scope's breaker of the same name (the shared one otherwise).
        CircuitBreaker breaker = CircuitBreakerScope.Resolve(_selectBreaker(request));
        RequestBreaker.Set(request, breaker);
        CircuitPermit permit = breaker.TryAcquire();
        if (!permit.IsGranted)
        {
            return Reject(breaker, request);
        }

        TimeSpan timeout = breaker.Timeout;
#if NET8_0_OR_GREATER
        using CancellationTokenSource? timeoutSource = timeout > TimeSpan.Zero ? new CancellationTokenSource(timeout, breaker.TimeProvider) : null;
#else
        using CancellationTokenSource? timeoutSource = timeout > TimeSpan.Zero ? breaker.TimeProvider.CreateCancellationTokenSource(timeout) : null;
#endif
        using CancellationTokenSource? linkedSource = timeoutSource is null
            ? null
            : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);

        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, linkedSource?.Token ?? cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            permit.RecordIgnored();
            throw;
        }
        catch (OperationCanceledException ex) when (timeoutSource is { IsCancellationRequested: true })
        {
            var timeoutException = new TimeoutException(
                $"The request to {SafeUrl.Describe(request.RequestUri)} was cancelled by circuit breaker '{breaker.Name}' after its timeout of {timeout.TotalMilliseconds:0} ms.",
                ex);
            permit.RecordFailure(timeoutException, FailureKind.Timeout);
            throw new TaskCanceledException(timeoutException.Message, timeoutException);
        }
        catch (Exception ex) when (ex is HttpRequestException or SocketException)
        {
            permit.RecordFailure(ex, FailureKind.ConnectionError);
            throw;
        }
        catch (Exception ex)
        {
            permit.RecordFailure(ex);
            throw;
        }

        bool failed;
        try
        {
            failed = _isFailureResponse(response);
        }
        catch (Exception ex)
        {
            // A classifier that throws must not leak the permit; the call's outcome is then unknown.
            permit.RecordIgnored();
            response.Dispose();
            throw new InvalidOperationException("HttpCircuitBreakerOptions.IsFailureResponse threw an exception.", ex);
        }

        if (failed)
        {
            // A 429 or 503 that says when to come back: if this failure opens the circuit (or it opens before then), the
            // break lasts at least that long (docs/http.md).
            permit.RecordFailure(null, FailureKind.HttpError, _honorRetryAfter ? RetryAfterHeader.Requested(response, breaker.TimeProvider) : TimeSpan.Zero);
        }
        else
        {
            permit.RecordSuccess();
        }

        return response;
    }

    private static Func<HttpRequestMessage, CircuitBreaker> SingleBreaker(CircuitBreaker breaker)
    {
        ArgumentNullException.ThrowIfNull(breaker);
        return _ => breaker;
    }

    private HttpResponseMessage Reject(CircuitBreaker breaker, HttpRequestMessage request)
    {
        BrokenCircuitException rejection = breaker.CreateRejectedException();
        if (_fallbackResponse is null)
        {
            throw rejection;
        }

        HttpResponseMessage? response;
        try
        {
            response = _fallbackResponse(request, rejection);
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException($"{FallbackResponseOption} threw an exception while answering a rejection by circuit breaker '{breaker.Name}'.", ex);
        }

        // A response belongs to one request: its caller disposes it. One handed out before (its RequestMessage is another
        // request) would reach this caller disposed, so say what is wrong instead of failing later with ObjectDisposedException.
        if (response is null || (response.RequestMessage is { } owner && !ReferenceEquals(owner, request)))
        {
            throw new InvalidOperationException(
                $"{FallbackResponseOption} returned {(response is null ? "null" : "a response it had already returned for another request")}: " +
                "it must return a new HttpResponseMessage for every rejection (HttpCircuitBreakerOptions.SetFallbackResponse does).");
        }

        response.RequestMessage = request;
        breaker.RecordFallback();
        return response;
    }
}
