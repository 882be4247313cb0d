namespace Breaker;

/// <summary>
/// Lets something beyond this process (for example other instances of the service, through a shared store) take part
/// in a breaker's decisions. It is consulted only when the circuit would change state, never on a call's hot path,
/// and must answer from what it already knows: no I/O inside these methods.
/// </summary>
public abstract class CircuitCoordinator
{
    /// <summary>
    /// Asked when an open circuit's break is over and it would start admitting probes. Return <see langword="false"/>
    /// to keep rejecting (another instance is probing for everyone); the breaker asks again on the next call.
    /// </summary>
    /// <param name="breaker">The breaker whose break is over.</param>
    public abstract bool MayStartProbing(CircuitBreaker breaker);
}
