using System;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;

namespace Breaker;

/// <summary>Reads how long a 429 or 503 response asks its client to wait (<c>Retry-After</c>), as a duration from now.</summary>
internal static class RetryAfter
{
    /// <summary>
    /// The wait <paramref name="response"/> asks for, or <see cref="TimeSpan.Zero"/> when it asks none: another status, no
    /// header, a value that does not parse (negative, fractional, past <c>int.MaxValue</c> seconds, several values), or a
    /// date already past. Not clamped here: the breaker holds it to its own longest break.
    /// </summary>
    /// <param name="response">The response.</param>
    /// <param name="clock">The breaker's clock, for a date when the response carries no <c>Date</c>.</param>
    public static TimeSpan Requested(HttpResponseMessage response, TimeProvider clock)
    {
        // 429 by number: netstandard2.0's HttpStatusCode has no TooManyRequests.
        if ((int)response.StatusCode is not (429 or (int)HttpStatusCode.ServiceUnavailable)
            || response.Headers.RetryAfter is not RetryConditionHeaderValue retryAfter)
        {
            return TimeSpan.Zero;
        }

        if (retryAfter.Delta is TimeSpan delta)
        {
            return delta;
        }

        // An HTTP date is an instant on the server's clock. Measured from the same response's Date (the same clock), the
        // wait is right however far apart the two machines' clocks are; only without a Date does this breaker's clock count.
        DateTimeOffset sent = response.Headers.Date ?? clock.GetUtcNow();
        return retryAfter.Date is DateTimeOffset until && until > sent ? until - sent : TimeSpan.Zero;
    }
}
