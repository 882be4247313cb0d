using System.Collections.Generic;

namespace Breaker.Telemetry;

/// <summary>
/// A keyed group's calls as one series: what its evicted keys counted, kept when they leave, plus what its live keys count
/// at each collection, each key in one part only. Reported never lower than before, so a key evicted between two reads
/// cannot turn a counter back.
/// </summary>
internal sealed class GroupCallTotals
{
    private readonly object _lock = new();
    private readonly CallCounts _retired = new();
    private readonly CallCounts _reported = new();

    /// <summary>Keeps what an evicted key's breaker counted, and marks it so that no read counts it as live again.</summary>
    public void Retire(CircuitBreaker breaker)
    {
        lock (_lock)
        {
            _retired.Add(breaker);
            breaker.RetiredFromGroupTotals = true;
        }
    }

    /// <summary>The group's counts now: the evicted keys' and <paramref name="live"/>'s, at least what was reported before.</summary>
    public CallCounts Read(IEnumerable<CircuitBreaker> live)
    {
        lock (_lock)
        {
            // A key is removed from its group before it is retired, so the live breakers (a list taken before this lock, or
            // the group walked under it) may hold a key retired since: it is counted among the retired only (the mark is
            // written and read under this lock). A key evicted but not yet retired may be in neither part for this read,
            // which the monotonic guard below hides.
            CallCounts now = _retired.Copy();
            foreach (CircuitBreaker breaker in live)
            {
                if (!breaker.RetiredFromGroupTotals)
                {
                    now.Add(breaker);
                }
            }

            _reported.RaiseTo(now);
            return _reported.Copy();
        }
    }
}
