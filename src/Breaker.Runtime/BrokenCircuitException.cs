using System;

namespace Breaker;

/// <summary>Thrown when a circuit breaker rejects a call that has no fallback.</summary>
public sealed class BrokenCircuitException : Exception
{
    /// <summary>Creates the exception for a rejection by <paramref name="circuitName"/> in <paramref name="state"/>.</summary>
    public BrokenCircuitException(string circuitName, CircuitState state, TimeSpan? retryAfter)
        : base(CreateMessage(circuitName, state, retryAfter))
    {
        CircuitName = circuitName;
        State = state;
        RetryAfter = retryAfter;
    }

    /// <summary>The name of the breaker that rejected the call.</summary>
    public string CircuitName { get; }

    /// <summary>The state the circuit was in.</summary>
    public CircuitState State { get; }

    /// <summary>How long until the circuit admits calls again; <see langword="null"/> when that is unknown (isolated, or probes in flight).</summary>
    public TimeSpan? RetryAfter { get; }

    private static string CreateMessage(string circuitName, CircuitState state, TimeSpan? retryAfter) =>
        retryAfter is { } wait
            ? $"The circuit '{circuitName}' is {state} and rejected the call; retry after {wait.TotalMilliseconds:0} ms."
            : $"The circuit '{circuitName}' is {state} and rejected the call.";
}
