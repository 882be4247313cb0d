using System;
using System.Security.Cryptography;

namespace Breaker.Protocol;

/// <summary>
/// Where one instance's publish rounds of one breaker stood when it wrote a record: its session (drawn at random when its
/// coordinator starts) and the number of the round (one more at every round). Signed with the record, it only moves
/// forward per instance, so a reader that knows an instance's current mark tells a replay of an older record from a
/// fresh one, and tells how many rounds (so at least how much time) passed since a break was written.
/// </summary>
/// <param name="Session">Sixteen lower-case hexadecimal digits.</param>
/// <param name="Round">The round's number within the session, from 1.</param>
internal readonly record struct RoundMark(string Session, long Round)
{
    private const int SessionLength = 16;

    /// <summary>A new random session, for a coordinator that starts.</summary>
    public static string NewSession() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(SessionLength / 2));

    /// <summary>Whether <paramref name="session"/> and <paramref name="round"/> read from a record are well-formed.</summary>
    public static bool IsValid(string session, long round)
    {
        if (session.Length != SessionLength || round is < 1 or > FleetLimits.MaxCounter)
        {
            return false;
        }

        foreach (char c in session)
        {
            if (c is not (>= '0' and <= '9') and not (>= 'a' and <= 'f'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// At least how long ago a record marked with this was written, given <paramref name="current"/> (the writer's latest mark
    /// a reader saw) and the writer's publish <paramref name="interval"/>: its rounds are at least an interval apart, save
    /// that two may be closer once, so <c>(rounds - 1) x interval</c> never exceeds the time that passed. <see langword="null"/>
    /// when <paramref name="current"/> is of another session (the writer restarted or is gone: nothing vouches for the record).
    /// </summary>
    public TimeSpan? ElapsedUntil(RoundMark current, TimeSpan interval)
    {
        if (current.Session != Session)
        {
            return null;
        }

        long rounds = current.Round - Round - 1;
        return rounds <= 0 ? TimeSpan.Zero
            : rounds >= FleetLimits.MaxSharedBreak.Ticks / interval.Ticks ? FleetLimits.MaxSharedBreak
            : TimeSpan.FromTicks(interval.Ticks * rounds);
    }
}
