using System;
using System.Threading;

namespace Breaker;

// Keyed groups: the breaker of one key of a CircuitBreakerGroup, when it is used, and whether it may be evicted.
public sealed partial class CircuitBreaker
{
    // The group's clock when a call last looked this key up. Written only when it changed, so that threads calling one
    // key do not pass a cache line back and forth on every call.
    private long _lastUsed;

    /// <summary>The group that made this breaker for one of its keys (or its shared breaker); null for any other breaker.</summary>
    internal CircuitBreakerGroup? KeyedGroup { get; }

    /// <summary>The key as the breaker's name writes it (after the group's name and <c>:</c>); null outside a group.</summary>
    internal string? KeyName { get; }

    /// <summary>When a call last looked this key up, on its group's clock.</summary>
    internal long LastUsed => Volatile.Read(ref _lastUsed);

    /// <summary>Marks the key as used at <paramref name="now"/> (the group's clock).</summary>
    internal void Touch(long now)
    {
        if (Volatile.Read(ref _lastUsed) != now)
        {
            Volatile.Write(ref _lastUsed, now);
        }
    }

    /// <summary>
    /// Runs <paramref name="remove"/> (which takes the breaker out of its group) if the breaker may be evicted now, and says
    /// whether it ran and removed it. Under the transition lock, so no call can open the circuit between the check and the
    /// removal. Never evicted: an open circuit whose break is not over, and one held by hand (isolated, metrics-only).
    /// </summary>
    internal bool TryEvict<TState>(TState state, Func<TState, bool> remove)
    {
        lock (_transitionLock)
        {
            if (_metricsOnly)
            {
                return false;
            }

            switch (StateOf(_stateWord))
            {
                case CircuitState.Isolated:
                case CircuitState.Open when Now() < Volatile.Read(ref _openUntil):
                    return false;
                default:
                    return remove(state);
            }
        }
    }
}
