using System;
using System.Net.Http;

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
    /// (the default) throws the <see cref="BrokenCircuitException"/> instead.
    /// </summary>
    public Func<HttpRequestMessage, BrokenCircuitException, HttpResponseMessage>? FallbackResponse { get; set; }
}
