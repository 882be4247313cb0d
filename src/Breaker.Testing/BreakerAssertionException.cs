using System;

namespace Breaker.Testing;

/// <summary>
/// A Breaker.Testing assertion that did not hold: a plain exception, so xUnit, NUnit and MSTest all report it as a failed
/// test with its message (what was expected, and what the breaker did).
/// </summary>
public sealed class BreakerAssertionException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was expected and what happened.</param>
    public BreakerAssertionException(string message)
        : base(message)
    {
    }
}
