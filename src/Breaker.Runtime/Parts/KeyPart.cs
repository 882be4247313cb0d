using System.Threading;

namespace Breaker.Parts;

/// <summary>
/// What only a breaker of a group carries (a key's breaker, or the group's shared one): its group, when a call last looked
/// its key up, its calls in flight and whether a scan evicted it. Made with the breaker by its group; a breaker on its own
/// holds one null reference instead.
/// </summary>
internal abstract class KeyPart
{
    // The calls in flight (the low bits) and the eviction mark share one word, changed only by interlocked operations. A key's
    // breaker with a call in flight is never evicted, and an evicted one admits nothing new: a scan marks the word only by a
    // compare-and-swap from zero, and a call counts itself with an increment whose result carries the mark, both atomic on
    // this one word. Whichever comes first, the other sees it: a call counted first makes the swap fail (the breaker stays),
    // a mark first comes back with the call's increment (the call goes to the key's next breaker). No fence is needed
    // between a flag and a count in two places. 2^30 calls in flight at once on one key is beyond any process.
    private const int Evicted = 1 << 30;

    private int _callsAndEvicted;

    // The group's clock when a call last looked this key up. Written only when it changed, so that threads calling one
    // key do not pass a cache line back and forth on every call.
    private long _lastUsed;

    /// <summary>The group the breaker belongs to.</summary>
    public abstract CircuitBreakerGroup Group { get; }

    /// <summary>Whether this is the group's shared breaker (<c>group:*</c>), which serves many keys.</summary>
    public abstract bool IsShared { get; }

    /// <summary>Under the group's call totals lock: this evicted key's counts are among the group's retired ones.</summary>
    public bool RetiredFromGroupTotals { get; set; }

    /// <summary>When a call last looked this key up, on its group's clock.</summary>
    public long LastUsed => Volatile.Read(ref _lastUsed);

    /// <summary>Whether a scan marked the breaker evicted (and has not taken the mark back).</summary>
    public bool IsEvicted => (Volatile.Read(ref _callsAndEvicted) & Evicted) != 0;

    /// <summary>The breaker the key has now, made if it has none: a lookup like any.</summary>
    public abstract CircuitBreaker Relookup();

    /// <summary>Marks the key as used at <paramref name="now"/> (the group's clock).</summary>
    public void Touch(long now)
    {
        if (Volatile.Read(ref _lastUsed) != now)
        {
            Volatile.Write(ref _lastUsed, now);
        }
    }

    /// <summary>
    /// Before a call's permit is decided: counts the call in flight (so no scan evicts the breaker under it) and says whether
    /// the breaker is still its key's. False, with nothing counted, when a scan evicted it after the caller looked the key up.
    /// </summary>
    public bool TryReserveCall()
    {
        // The hot path of a keyed call: one interlocked increment, whose result says whether the mark was there.
        if ((Interlocked.Increment(ref _callsAndEvicted) & Evicted) == 0)
        {
            return true;
        }

        Interlocked.Decrement(ref _callsAndEvicted);
        return false;
    }

    /// <summary>A call counted by <see cref="TryReserveCall"/> ended (its outcome recorded) or was not admitted.</summary>
    public void EndCall() => Interlocked.Decrement(ref _callsAndEvicted);

    /// <summary>Marks the breaker evicted if no call is in flight on it; false, and nothing changed, otherwise.</summary>
    public bool TryMarkEvicted() => Interlocked.CompareExchange(ref _callsAndEvicted, Evicted, 0) == 0;

    /// <summary>Takes back the mark of a breaker that could not be removed after all: calls that saw it look the key up again and find this breaker.</summary>
    public void UnmarkEvicted() => Interlocked.Add(ref _callsAndEvicted, -Evicted);
}
