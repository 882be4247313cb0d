namespace Breaker;

/// <summary>Why a call counted as a failure.</summary>
public enum FailureKind
{
    /// <summary>The call threw an exception the breaker handles.</summary>
    Exception,

    /// <summary>The call did not finish within the configured timeout.</summary>
    Timeout,

    /// <summary>An HTTP response with a failure status (5xx, 408 or 429).</summary>
    HttpError,

    /// <summary>The connection could not be made or was lost.</summary>
    ConnectionError,

    /// <summary>A successful call that took at least <see cref="CircuitBreakerOptions.SlowCallDuration"/> (reported for a slow half-open probe).</summary>
    SlowCall,
}
