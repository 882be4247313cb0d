using System;

namespace Breaker;

/// <summary>
/// Describes a call whose <see cref="CircuitBreakerOptions.ShouldHandle"/> threw while judging the call's exception. The
/// caller still gets the call's own exception, and the call counts as a failure, as it would without <c>ShouldHandle</c>.
/// </summary>
public sealed class ShouldHandleFailedEventArgs : EventArgs
{
    internal ShouldHandleFailedEventArgs(CircuitBreaker breaker, Exception exception, Exception error)
    {
        Breaker = breaker;
        Exception = exception;
        Error = error;
    }

    /// <summary>The breaker that guarded the call.</summary>
    public CircuitBreaker Breaker { get; }

    /// <summary>The exception the call ended with: what <c>ShouldHandle</c> was asked to judge, and what the caller gets.</summary>
    public Exception Exception { get; }

    /// <summary>What <c>ShouldHandle</c> threw.</summary>
    public Exception Error { get; }
}
