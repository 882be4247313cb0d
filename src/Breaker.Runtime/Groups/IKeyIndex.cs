using System.Collections.Generic;

namespace Breaker.Groups;

/// <summary>The breakers of a group's keys of one type, as the group sees them whatever that type: to list them and to evict idle ones.</summary>
internal interface IKeyIndex
{
    /// <summary>Adds every live breaker of this index to <paramref name="breakers"/>.</summary>
    void AddBreakersTo(List<CircuitBreaker> breakers);

    /// <summary>Every live breaker of this index, read as the index is walked: no copy.</summary>
    IEnumerable<CircuitBreaker> Breakers();

    /// <summary>
    /// Under the group's lock: evicts every breaker unused since <paramref name="idleBefore"/> that may be evicted (adding it
    /// to <paramref name="evicted"/>).
    /// </summary>
    void EvictIdle(long idleBefore, List<CircuitBreaker> evicted);
}
