using System;
using System.Collections.Generic;
using Breaker.Protocol;

namespace Breaker.Fleet;

/// <summary>
/// The latest <see cref="RoundMark"/> of each instance whose counts of one breaker were read at the last round (loop only).
/// Marks only move forward, so a record older than the one read before is a replay; and an instance counts only once its
/// records were seen moving, so a record that is merely written back (a dead instance's last counts) never counts.
/// </summary>
internal sealed class PeerRounds
{
    private Dictionary<string, Seen> _seen = new(StringComparer.Ordinal);
    private Dictionary<string, Seen> _next = new(StringComparer.Ordinal);

    /// <summary>
    /// Judges counts read this round: <see langword="null"/> for a replay (older than what was read before in the same
    /// session), false for counts not yet seen moving (a first sighting, or a new session), true for live counts.
    /// </summary>
    public bool? Judge(InstanceCounts counts)
    {
        if (_seen.TryGetValue(counts.InstanceId, out Seen last) && last.Mark.Session == counts.Mark.Session)
        {
            if (counts.Mark.Round < last.Mark.Round)
            {
                _next[counts.InstanceId] = last;
                return null;
            }

            // The same record read twice (this round came before the writer's) is still the writer's latest.
            bool moving = last.Moving || counts.Mark.Round > last.Mark.Round;
            _next[counts.InstanceId] = new Seen(counts.Mark, moving);
            return moving;
        }

        _next[counts.InstanceId] = new Seen(counts.Mark, Moving: false);
        return false;
    }

    /// <summary>This instance's own mark, which it knows without reading it back.</summary>
    public void Own(string instanceId, RoundMark mark) => _next[instanceId] = new Seen(mark, Moving: true);

    /// <summary>Ends the round: instances not read in it are forgotten (their counts expired, or were deleted).</summary>
    public void EndRound()
    {
        (_seen, _next) = (_next, _seen);
        _next.Clear();
    }

    /// <summary>
    /// At least how long ago <paramref name="instanceId"/> wrote a record marked <paramref name="mark"/>, by its rounds since;
    /// <see langword="null"/> unless that instance is live in the same session (its records were seen moving).
    /// </summary>
    public TimeSpan? Since(string instanceId, RoundMark mark, TimeSpan interval) =>
        _seen.TryGetValue(instanceId, out Seen current) && current.Moving ? mark.ElapsedUntil(current.Mark, interval) : null;

    private readonly record struct Seen(RoundMark Mark, bool Moving);
}
