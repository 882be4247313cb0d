namespace Breaker.AspNetCore.Tests.Infrastructure;

/// <summary>A coordinator that reports a fixed status and counts what else it is asked: what the monitor shows of a fleet.</summary>
internal sealed class FixedStatusCoordinator(CoordinationStatus status) : CircuitCoordinator
{
    public int ProbeRequests { get; private set; }

    public override bool MayStartProbing(CircuitBreaker breaker)
    {
        ProbeRequests++;
        return true;
    }

    public override CoordinationStatus? GetStatus(CircuitBreaker breaker) => status;
}
