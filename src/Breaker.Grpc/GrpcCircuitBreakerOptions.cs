using System;
using System.Collections.Generic;
using Grpc.Core;

namespace Breaker;

/// <summary>How a <see cref="CircuitBreakerInterceptor"/> judges calls, answers rejections, and which calls share a breaker.</summary>
public sealed class GrpcCircuitBreakerOptions
{
    private readonly Dictionary<string, Delegate> _fallbacks = new(StringComparer.Ordinal);

    /// <summary>
    /// Which calls share a breaker when registered with <c>AddGrpcCircuitBreaker</c>: the whole client (the default), each method,
    /// or each host. Per method and per host the breakers form a keyed group, bounded by
    /// <see cref="CircuitBreakerOptions.MaxKeys"/> and <see cref="CircuitBreakerOptions.KeyIdleTimeout"/> like any.
    /// </summary>
    public GrpcBreakerScope Scope { get; set; }

    /// <summary>
    /// Which statuses count as failures. <see langword="null"/> (the default) uses
    /// <see cref="CircuitBreakerInterceptor.IsFailureStatus(StatusCode)"/>: <c>Unavailable</c>, <c>DeadlineExceeded</c>,
    /// <c>ResourceExhausted</c>, <c>Internal</c>, <c>Unknown</c> and <c>Aborted</c>. A call the caller cancelled or disposed
    /// is never asked about: it counts as nothing.
    /// </summary>
    public Func<Status, bool>? IsFailure { get; set; }

    /// <summary>
    /// Whether a failed call's <c>grpc-retry-pushback-ms</c> trailer sets the break it opens (or that opens before that wait is
    /// over): at least the configured break, at most <see cref="CircuitBreakerOptions.MaxRetryAfter"/> (never past <see cref="CircuitBreakerOptions.LongestBreak"/>). Default <see langword="true"/>.
    /// </summary>
    public bool HonorRetryPushback { get; set; } = true;

    /// <summary>The fallbacks registered with <see cref="AddFallback"/>, by full method name.</summary>
    internal IReadOnlyDictionary<string, Delegate> Fallbacks => _fallbacks;

    /// <summary>
    /// Answers rejected unary calls of one method with <paramref name="fallback"/>'s response instead of an
    /// <see cref="RpcException"/>; the call is not sent. Streaming calls have no fallback: a rejection throws.
    /// </summary>
    /// <typeparam name="TRequest">The method's request message.</typeparam>
    /// <typeparam name="TResponse">The method's response message.</typeparam>
    /// <param name="fullMethodName">The method's full name, <c>/package.Service/Method</c> (<c>Method.FullName</c>).</param>
    /// <param name="fallback">Builds the response from the request and the rejection (which says the breaker and the wait).</param>
    /// <returns>These options, for chaining.</returns>
    public GrpcCircuitBreakerOptions AddFallback<TRequest, TResponse>(string fullMethodName, Func<TRequest, BrokenCircuitException, TResponse> fallback)
        where TRequest : class
        where TResponse : class
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fullMethodName);
        ArgumentNullException.ThrowIfNull(fallback);
        if (fullMethodName[0] != '/' || fullMethodName.IndexOf('/', 1) <= 1 || fullMethodName[^1] == '/')
        {
            throw new ArgumentException($"'{fullMethodName}' is not a full gRPC method name such as /package.Service/Method.", nameof(fullMethodName));
        }

        _fallbacks[fullMethodName] = fallback;
        return this;
    }
}
