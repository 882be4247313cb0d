using System;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;

namespace Breaker;

/// <summary>
/// Reads how long a 429 or 503 response asks its client to wait (<c>Retry-After</c>), as a duration from now: the parser
/// <see cref="CircuitBreakerHandler"/> uses, public for clients that surface the response another way, such as a Refit
/// <c>ApiException</c> in a <see cref="CircuitBreakerOptions.BreakDurationHook"/>.
/// </summary>
public static class RetryAfterHeader
{
    /// <summary>
    /// For a <see cref="CircuitBreakerOptions.BreakDurationHook"/>: the break a response that opened the circuit asks for,
    /// held to the breaker's <see cref="CircuitBreakerOptions.MaxRetryAfter"/>, when it is longer than the break the breaker
    /// chose (<see cref="BreakContext.BreakDuration"/>); otherwise <see langword="null"/>, which keeps that break. A header
    /// that does not parse asks for nothing (see <see cref="Requested(HttpStatusCode, HttpResponseHeaders, TimeProvider)"/>).
    /// </summary>
    /// <param name="context">What the opening breaker knows: its clock, its options and its break.</param>
    /// <param name="status">The status of the response that opened the circuit.</param>
    /// <param name="headers">That response's headers.</param>
    public static TimeSpan? BreakDuration(BreakContext context, HttpStatusCode status, HttpResponseHeaders headers)
    {
        TimeSpan requested = Requested(status, headers, context.Breaker.TimeProvider);
        TimeSpan longest = context.Breaker.Options.MaxRetryAfter;
        TimeSpan wait = requested < longest ? requested : longest;
        return wait > context.BreakDuration ? wait : null;
    }

    /// <summary>
    /// The wait <paramref name="response"/> asks for, or <see cref="TimeSpan.Zero"/> when it asks none (see
    /// <see cref="Requested(HttpStatusCode, HttpResponseHeaders, TimeProvider)"/>).
    /// </summary>
    /// <param name="response">The response.</param>
    /// <param name="clock">The breaker's clock, for a date when the response carries no <c>Date</c>.</param>
    public static TimeSpan Requested(HttpResponseMessage response, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(response);
        return Requested(response.StatusCode, response.Headers, clock);
    }

    /// <summary>
    /// The wait a response with <paramref name="status"/> and <paramref name="headers"/> asks for, or <see cref="TimeSpan.Zero"/>
    /// when it asks none: a status other than 429 or 503, no header, a value that does not parse (negative, fractional,
    /// past <c>int.MaxValue</c> seconds, a list, not a number or a date; of several header lines only the first counts), or a
    /// date already past. Never throws for
    /// a header's content and never negative. Not clamped here: a breaker holds any answer to its <c>MaxBreakDuration</c>.
    /// </summary>
    /// <param name="status">The response's status.</param>
    /// <param name="headers">The response's headers.</param>
    /// <param name="clock">The breaker's clock, for a date when the response carries no <c>Date</c>.</param>
    public static TimeSpan Requested(HttpStatusCode status, HttpResponseHeaders headers, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(clock);
        // 429 by number: netstandard2.0's HttpStatusCode has no TooManyRequests.
        if ((int)status is not (429 or (int)HttpStatusCode.ServiceUnavailable)
            || headers.RetryAfter is not RetryConditionHeaderValue retryAfter)
        {
            return TimeSpan.Zero;
        }

        if (retryAfter.Delta is TimeSpan delta)
        {
            return delta > TimeSpan.Zero ? delta : TimeSpan.Zero;
        }

        // An HTTP date is an instant on the server's clock. Measured from the same response's Date (the same clock), the
        // wait is right however far apart the two machines' clocks are; only without a Date does this breaker's clock count.
        DateTimeOffset sent = headers.Date ?? clock.GetUtcNow();
        return retryAfter.Date is DateTimeOffset until && until > sent ? until - sent : TimeSpan.Zero;
    }
}
