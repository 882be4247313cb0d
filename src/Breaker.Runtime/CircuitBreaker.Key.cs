using System;
using System.Threading;
using Breaker.Parts;

namespace Breaker;

// A breaker of a group: the breaker of one of its keys (or its shared breaker), when it is used, and whether it may be
// evicted. What only such a breaker needs is in its key part, so a breaker on its own carries one null reference for it.
public sealed partial class CircuitBreaker
{
    private readonly KeyPart? _key;

    /// <summary>The group that made this breaker for one of its keys (or as its shared breaker); null for any other breaker.</summary>
    internal CircuitBreakerGroup? OwningGroup => _key?.Group;

    /// <summary>
    /// The key as the breaker's name writes it (after the group's name and <c>:</c>, with the <c>%#</c> suffix of a key whose
    /// name was taken); null outside a group. Cut from the name when asked (only a meter reporting keys asks, once).
    /// </summary>
    internal string? KeyName => _key is { } key ? Name[(key.Group.Name.Length + 1)..] : null;

    /// <summary>Under the group's call totals lock: whether this evicted key's counts are among the group's retired ones.</summary>
    internal bool RetiredFromGroupTotals
    {
        get => _key is { RetiredFromGroupTotals: true };
        set => _key!.RetiredFromGroupTotals = value;
    }

    /// <summary>Whether this is a group's shared breaker (<c>group:*</c>), which serves many keys.</summary>
    internal bool IsSharedKey => _key is { IsShared: true };

    /// <summary>When a call last looked this key up, on its group's clock.</summary>
    internal long LastUsed => _key!.LastUsed;

    /// <summary>Marks the key as used at <paramref name="now"/> (the group's clock).</summary>
    internal void Touch(long now) => _key!.Touch(now);

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
        KeyPart key = _key!;
        bool idle = key.LastUsed <= idleBefore;
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

            // Marked only while no call is in flight, in the same word a call counts itself in (KeyPart): either the call
            // sees the mark and goes to the key's next breaker, or this sees the call and the breaker stays.
            if (!key.TryMarkEvicted())
            {
                return false;
            }

            if (!remove(state))
            {
                key.UnmarkEvicted();
                return false;
            }

            return true;
        }
    }

    /// <summary>
    /// The breaker the key of this evicted breaker has now (made if it has none): where a call that looked the key up before
    /// the eviction goes, so no call is ever admitted by a breaker nobody holds.
    /// </summary>
    private CircuitBreaker NextForKey(KeyPart key)
    {
        var spinner = default(SpinWait);
        while (true)
        {
            CircuitBreaker next = key.Relookup();

            // The scan that marked this breaker may still be removing it (or may have found it could not and kept it).
            if (next != this || !key.IsEvicted)
            {
                return next;
            }

            spinner.SpinOnce();
        }
    }

    /// <summary>A key's breaker's call ended, its outcome recorded (so a failure that opened it did so before it may go).</summary>
    private void EndInFlight() => _key?.EndCall();
}
