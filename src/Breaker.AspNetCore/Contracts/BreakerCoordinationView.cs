namespace Breaker.AspNetCore.Contracts;

/// <summary>
/// What a breaker's coordinator (fleet coordination) last saw: this instance's name, whether it follows the fleet or acts
/// on its own, the fleet's verdict, and which instance holds the probe lease (probes for all; <see langword="null"/>: none).
/// </summary>
internal sealed record BreakerCoordinationView(string InstanceId, bool IsCoordinating, CircuitState SharedState, string? ProbeLeaseHolder)
{
    public static BreakerCoordinationView? From(CircuitBreaker breaker) =>
        breaker.Coordinator?.GetStatus(breaker) is { } status
            ? new BreakerCoordinationView(status.InstanceId, status.IsCoordinating, status.SharedState, status.ProbeLeaseHolder)
            : null;
}
