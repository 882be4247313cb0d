namespace Breaker.AspNetCore.Endpoints;

/// <summary>
/// One breaker as an answer ranks and counts it: its state, and how close its window is to opening the circuit
/// (<see cref="CircuitBreakerStatus.Pressure"/>), read once for the answer being built so every count and rank agrees. A
/// struct of three words: the monitor takes one per breaker per request, and reads the full metrics only of those it shows.
/// </summary>
internal readonly record struct BreakerSnapshot(CircuitBreaker Breaker, CircuitState State, double Pressure)
{
    public static BreakerSnapshot Take(CircuitBreaker breaker)
    {
        CircuitBreakerStatus status = breaker.GetStatus();
        return new BreakerSnapshot(breaker, status.State, status.Pressure);
    }
}
