using System.Threading;

namespace Breaker.Parts;

/// <summary>
/// What a breaker keeps about its breaks: when the current one ends, its probes, its back-off, and the counts of openings,
/// closings, probes and rejections. Made under the transition lock when the circuit first leaves the closed state (it is
/// published before the state word that says so), so a breaker that never opened (most of them) carries none of it, and
/// any code that saw a state other than closed finds it.
/// </summary>
/// <remarks>
/// Fields, not properties: they are written with interlocked operations and read with <see cref="Volatile"/>. Unless said
/// otherwise they are written under the breaker's transition lock and read anywhere.
/// </remarks>
internal sealed class BreakState
{
    /// <summary>When the current break ends, on the breaker's clock.</summary>
    public long OpenUntil;

    /// <summary>
    /// When the current break ends without what a dependency asked for (Retry-After): the options' break backed off, the
    /// hook's, one started by hand or by the fleet. Past it only a Retry-After holds the circuit open, and a full group may
    /// evict the key. Written with <see cref="OpenUntil"/>.
    /// </summary>
    public long OwnBreakUntil;

    /// <summary>When the oldest probe still running started (<see cref="long.MaxValue"/>: none).</summary>
    public long OldestProbeStart = long.MaxValue;

    /// <summary>Failed half-open verdicts in a row since the circuit last closed: the back-off's exponent.</summary>
    public int Reopens;

    /// <summary>Probe slots left in the current half-open period (given back, lock-free of the lock's readers, by probes without a verdict).</summary>
    public int ProbeSlots;

    /// <summary>Probes of the current half-open period that succeeded.</summary>
    public int ProbeSuccesses;

    /// <summary>The state word of the period whose opening is choosing its break (the hook may be slow); -1 for none.</summary>
    public int OpeningWord = -1;

    /// <summary>The state word of the open period a decision made elsewhere started (0: none): only it may be ended from elsewhere.</summary>
    public int OpenedElsewhereWord;

    /// <summary>When each probe of the current half-open period started (empty outside one).</summary>
    public readonly ProbeStarts ProbeStarts = new();

    public long Opens;
    public long Closes;
    public long HalfOpenAttempts;

    /// <summary>Rejections that did not run, written lock-free by the rejecting call.</summary>
    public long Rejections;

    /// <summary>Rejections that did not run and were answered by a fallback: one write counts both (lock-free).</summary>
    public long RejectionsAnsweredByFallback;

    /// <summary>Calls metrics-only mode would have rejected and let through (lock-free).</summary>
    public long MetricsOnlyRejections;
}
