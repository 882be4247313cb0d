using System;

namespace Breaker;

/// <summary>
/// A breaker's state and current window, read together by <see cref="CircuitBreaker.GetStatus"/>: the cheap read a monitor
/// ranks thousands of breakers by (rates from 0 to 1, as in <see cref="CircuitBreakerMetrics"/>).
/// </summary>
public readonly record struct CircuitBreakerStatus
{
    private readonly double _failureRatio;
    private readonly double _slowCallRatio;

    /// <summary>Creates a status (the breaker does; tests may too).</summary>
    /// <param name="state">The state (as <see cref="CircuitBreaker.State"/> reports it).</param>
    /// <param name="windowCalls">Calls in the current window.</param>
    /// <param name="windowFailures">Failed calls in the current window.</param>
    /// <param name="windowSlowCalls">Slow calls in the current window.</param>
    /// <param name="failureRatio">The failure ratio that opens the circuit (<see cref="CircuitBreakerOptions.FailureRatio"/>).</param>
    /// <param name="slowCallRatio">The slow-call ratio that opens it (<see cref="CircuitBreakerOptions.SlowCallRatio"/>).</param>
    public CircuitBreakerStatus(CircuitState state, long windowCalls, long windowFailures, long windowSlowCalls, double failureRatio, double slowCallRatio)
    {
        State = state;
        WindowCalls = windowCalls;
        WindowFailures = windowFailures;
        WindowSlowCalls = windowSlowCalls;
        _failureRatio = failureRatio;
        _slowCallRatio = slowCallRatio;
    }

    /// <summary>The state when read.</summary>
    public CircuitState State { get; }

    /// <summary>Calls in the current window.</summary>
    public long WindowCalls { get; }

    /// <summary>Failed calls in the current window.</summary>
    public long WindowFailures { get; }

    /// <summary>Slow calls in the current window.</summary>
    public long WindowSlowCalls { get; }

    /// <summary>The failure rate of the current window, from 0 to 1: what the breaker judges by.</summary>
    public double FailureRate => WindowCalls == 0 ? 0.0 : (double)WindowFailures / WindowCalls;

    /// <summary>The slow-call rate of the current window, from 0 to 1.</summary>
    public double SlowCallRate => WindowCalls == 0 ? 0.0 : (double)WindowSlowCalls / WindowCalls;

    /// <summary>
    /// How close the window is to opening the circuit: the larger of the failure rate over its threshold and the slow-call
    /// rate over its threshold, 1 or more once one is reached (the circuit opens then if the window holds enough calls).
    /// </summary>
    public double Pressure => Math.Max(FailureRate / _failureRatio, SlowCallRate / _slowCallRatio);
}
