using System.Collections.Generic;

namespace Breaker.Telemetry;

/// <summary>
/// A keyed group's calls as one series: what its evicted keys counted, kept when they leave, plus what its live keys count
/// at each collection. Reported never lower than before, so a key evicted between two reads cannot turn a counter back.
/// </summary>
internal sealed class GroupCallTotals
{
    private readonly object _lock = new();
    private readonly CallCounts _retired = new();
    private readonly CallCounts _reported = new();

    /// <summary>Keeps what an evicted key's breaker counted (after it left the group, so it is never counted twice).</summary>
    public void Retire(CircuitBreaker breaker)
    {
        lock (_lock)
        {
            _retired.Add(breaker);
        }
    }

    /// <summary>The group's counts now: the evicted keys' and <paramref name="live"/>'s, at least what was reported before.</summary>
    public CallCounts Read(IEnumerable<CircuitBreaker> live)
    {
        lock (_lock)
        {
            // Under the lock: a key evicted meanwhile waits to be retired until this read is done, so it is in one part only.
            CallCounts now = _retired.Copy();
            foreach (CircuitBreaker breaker in live)
            {
                now.Add(breaker);
            }

            _reported.RaiseTo(now);
            return _reported.Copy();
        }
    }
}
