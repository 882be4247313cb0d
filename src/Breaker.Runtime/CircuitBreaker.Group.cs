using System;
using System.Threading;
using Breaker.Groups;

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
    // may open it). Counted only for keys' breakers, from just before the permit is decided.
    private int _callsInFlight;

    // Set once a scan evicted this key's breaker: a call that looked the key up before then goes to the key's next breaker.
    // A bool, not an int: with the other small fields it keeps a key's breaker within its 1 KiB (semantics.md).
    private volatile bool _evicted;

    /// <summary>The keys this breaker's key is one of; null for the shared breaker and outside a group.</summary>
    internal IKeyIndex? KeyIndex { get; private set; }

    /// <summary>The key this breaker is for (boxed once, when the key's breaker is made); null for the shared breaker and outside a group.</summary>
    internal object? Key { get; private set; }

    /// <summary>Under the group's lock, as the key's breaker is made: which key it is for.</summary>
    internal void BelongsTo(IKeyIndex index, object key)
    {
        KeyIndex = index;
        Key = key;
    }

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
    /// Runs <paramref name="remove"/> (which takes the breaker out of its full group) if the breaker may be evicted now, and
    /// says whether it ran and removed it. Under the transition lock, so no call can open the circuit between the check and
    /// the removal. Goes: a key unused since <paramref name="idleBefore"/> (the group's clock), and an open circuit whose own
    /// break is over but which a dependency's Retry-After holds open longer, however lately it was looked up (its calls are
    /// rejected: nobody uses the dependency through it, and whoever answers with Retry-After must not fill the group with
    /// breaks nobody can end). Never: an open circuit whose own break is not over, one held by hand (isolated,
    /// metrics-only), and one with a call in flight (a call that looked the key up counts from when it is admitted).
    /// </summary>
    internal bool TryEvict<TState>(long idleBefore, TState state, Func<TState, bool> remove)
    {
        bool idle = LastUsed <= idleBefore;
        if (!idle && StateOf(Volatile.Read(ref _stateWord)) != CircuitState.Open)
        {
            // In use and not open: stays, without taking the lock (a scan reads every key).
            return false;
        }

        lock (_transitionLock)
        {
            if (_metricsOnly)
            {
                return false;
            }

            long now = Now();
            bool mayGo = StateOf(_stateWord) switch
            {
                CircuitState.Isolated => false,
                CircuitState.Open when now < Volatile.Read(ref _break!.OpenUntil) => now >= Volatile.Read(ref _break!.OwnBreakUntil),
                _ => idle,
            };
            if (!mayGo)
            {
                return false;
            }

            // Marked before the calls in flight are read, as a call reserves before it reads the mark (ReserveCall), both with
            // a full fence: either the call sees the mark and goes to the key's next breaker, or this sees the call and stays.
            _evicted = true;
            Interlocked.MemoryBarrier();
            if (Volatile.Read(ref _callsInFlight) > 0 || !remove(state))
            {
                _evicted = false;
                return false;
            }

            return true;
        }
    }

    /// <summary>
    /// A key's breaker, before it grants a call: counts the call in flight (so no scan evicts the breaker under it) and
    /// says whether the breaker is still its key's. False when a scan evicted it after the caller looked the key up.
    /// </summary>
    private bool ReserveCall()
    {
        Interlocked.Increment(ref _callsInFlight);
        if (!_evicted)
        {
            return true;
        }

        Interlocked.Decrement(ref _callsInFlight);
        return false;
    }

    /// <summary>
    /// The breaker the key of this evicted breaker has now (made if it has none): where a call that looked the key up before
    /// the eviction goes, so no call is ever admitted by a breaker nobody holds.
    /// </summary>
    private CircuitBreaker NextForKey()
    {
        var spinner = default(SpinWait);
        while (true)
        {
            CircuitBreaker next = KeyIndex!.Relookup(Key!);

            // The scan that marked this breaker may still be removing it (or may have found a call and kept it).
            if (next != this || !_evicted)
            {
                return next;
            }

            spinner.SpinOnce();
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
