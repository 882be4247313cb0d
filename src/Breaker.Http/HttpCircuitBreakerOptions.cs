using System;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;

namespace Breaker;

/// <summary>How a <see cref="CircuitBreakerHandler"/> added by <c>AddCircuitBreaker</c> judges responses and answers rejections.</summary>
public sealed class HttpCircuitBreakerOptions
{
    /// <summary>
    /// One breaker per host instead of one per client: requests to each host (with its port, when not the scheme's default)
    /// go through the breaker named <c>name + ":" + host</c>, which follows the configuration of <c>name</c>. These breakers
    /// form the keyed group <c>name</c> (<see cref="CircuitBreaker.Group"/>): fleet coordination leaves them out unless listed.
    /// </summary>
    public bool PerHost { get; set; }

    /// <summary>
    /// Which responses count as failures (<see cref="FailureKind.HttpError"/>). <see langword="null"/> (the default) counts
    /// 5xx, 408 Request Timeout and 429 Too Many Requests.
    /// </summary>
    public Func<HttpResponseMessage, bool>? IsFailureResponse { get; set; }

    /// <summary>
    /// The response to return when the circuit rejects a request (the request is not sent). <see langword="null"/>
    /// (the default) throws the <see cref="BrokenCircuitException"/> instead. It must build a new response every time (its
    /// caller disposes it): a response returned twice, or null, fails with an <see cref="InvalidOperationException"/>.
    /// <see cref="SetFallbackResponse"/> builds one from a status code.
    /// </summary>
    public Func<HttpRequestMessage, BrokenCircuitException, HttpResponseMessage>? FallbackResponse { get; set; }

    /// <summary>
    /// Answers rejections with a new response of <paramref name="statusCode"/> each time, with a <c>Retry-After</c> header
    /// when the breaker knows when it will probe again (whole seconds, rounded up), and a body from <paramref name="createContent"/>.
    /// </summary>
    /// <param name="statusCode">The status of every fallback response, such as 503 Service Unavailable.</param>
    /// <param name="createContent">Creates a new body for each response (a response disposes its content); <see langword="null"/> for none.</param>
    public void SetFallbackResponse(HttpStatusCode statusCode, Func<BrokenCircuitException, HttpContent>? createContent = null) =>
        FallbackResponse = (request, rejection) =>
        {
            var response = new HttpResponseMessage(statusCode) { RequestMessage = request };
            if (createContent is not null)
            {
                response.Content = createContent(rejection);
            }

            if (rejection.RetryAfter is TimeSpan retryAfter)
            {
                response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(Math.Ceiling(retryAfter.TotalSeconds)));
            }

            return response;
        };
}
