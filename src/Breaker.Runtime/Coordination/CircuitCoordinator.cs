namespace Breaker;

/// <summary>
/// Lets something beyond this process (for example other instances of the service, through a shared store) take part
/// in a breaker's decisions. It is consulted only by a call's admission, when a call arrives at an open circuit whose break
/// is over (never on the closed hot path, never by reading the breaker's state or metrics), and must answer from what it
/// already knows: no I/O inside these methods.
/// </summary>
public abstract class CircuitCoordinator
{
    /// <summary>
    /// Asked when a call arrives at an open circuit whose break is over, before it starts admitting probes. Return
    /// <see langword="false"/> to keep rejecting (another instance is probing for everyone); the breaker asks again on the next call.
    /// </summary>
    /// <param name="breaker">The breaker whose break is over.</param>
    public abstract bool MayStartProbing(CircuitBreaker breaker);

    /// <summary>
    /// What this coordinator last saw of the breaker's shared state, for monitors and dashboards: a pure read from memory
    /// (no I/O, no change). <see langword="null"/> (the default) when it has nothing to show.
    /// </summary>
    /// <param name="breaker">The breaker asked about.</param>
    public virtual CoordinationStatus? GetStatus(CircuitBreaker breaker) => null;
}
