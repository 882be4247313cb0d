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

    // Whether this is the group's shared breaker: set once, so that the name need not be kept twice nor compared.
    private readonly bool _isSharedKey;

    /// <summary>
    /// The key as the breaker's name writes it (after the group's name and <c>:</c>, with the <c>%#</c> suffix of a key whose
    /// name was taken); null outside a group. Cut from the name when asked (only a meter reporting keys asks, once).
    /// </summary>
    internal string? KeyName => KeyedGroup is { } group ? Name[(group.Name.Length + 1)..] : null;

    // Calls admitted on a key's breaker and not yet ended: a breaker with a call in flight is not idle (the call's outcome
    // may open it). Counted only for keys' breakers.
    private int _callsInFlight;

    /// <summary>Under the group's call totals lock: this evicted key's counts are among the group's retired ones.</summary>
    internal bool RetiredFromGroupTotals { get; set; }

    /// <summary>Whether this is a keyed group's shared breaker (<c>group:*</c>), which serves many keys.</summary>
    internal bool IsSharedKey => _isSharedKey;

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
    /// removal. Never evicted: an open circuit whose break is not over, one held by hand (isolated, metrics-only), and one
    /// with a call in flight (a call that looked the key up counts from when it is admitted).
    /// </summary>
    internal bool TryEvict<TState>(TState state, Func<TState, bool> remove)
    {
        lock (_transitionLock)
        {
            if (_metricsOnly || Volatile.Read(ref _callsInFlight) > 0)
            {
                return false;
            }

            switch (StateOf(_stateWord))
            {
                case CircuitState.Isolated:
                case CircuitState.Open when Now() < Volatile.Read(ref _break!.OpenUntil):
                    return false;
                default:
                    return remove(state);
            }
        }
    }

    /// <summary>A key's breaker admitted a call (<paramref name="permit"/>): it is in flight until its outcome.</summary>
    private void StartInFlight(in CircuitPermit permit)
    {
        if (permit.IsGranted)
        {
            Interlocked.Increment(ref _callsInFlight);
        }
    }

    /// <summary>A key's breaker's call ended, its outcome recorded (so a failure that opened it did so before it may go).</summary>
    private void EndInFlight()
    {
        if (KeyedGroup is not null)
        {
            Interlocked.Decrement(ref _callsInFlight);
        }
    }
}
