using System;

namespace Breaker.Protocol;

/// <summary>
/// The wire format's version and the bounds every record and message read from Redis is checked against before it counts.
/// Anything outside them is ignored (and logged once per source): these are sanity limits, not tuning knobs.
/// </summary>
internal static class FleetLimits
{
    /// <summary>
    /// The wire format's version, in every key, the channel's name and every record: instances of another version never
    /// read each other's state (a rolling upgrade runs two fleets side by side until it is over).
    /// </summary>
    public const string WireVersion = "3";

    /// <summary>The longest instance id accepted, in characters.</summary>
    public const int MaxInstanceIdLength = 128;

    /// <summary>The most instances of one breaker read in a round; a larger set (a flood of invented members) is sampled.</summary>
    public const int MaxInstances = 1000;

    /// <summary>The most calls one instance may report in its window (well over a million calls a second in a one-minute window).</summary>
    public const long MaxCalls = 1_000_000_000;

    /// <summary>The largest epoch or sequence number accepted (2^48): far beyond a close a second for a thousand years.</summary>
    public const long MaxCounter = 1L << 48;

    /// <summary>The longest record or message read, in characters; longer ones are ignored unparsed.</summary>
    public const int MaxRecordLength = 1024;

    /// <summary>The longest publish interval a break's record may name (the longest <c>PublishInterval</c> an instance accepts).</summary>
    public static readonly TimeSpan MaxInterval = TimeSpan.FromMinutes(1);

    /// <summary>The longest shared break a record may carry; each receiver clamps it further to its own options.</summary>
    public static readonly TimeSpan MaxSharedBreak = TimeSpan.FromDays(1);

    /// <summary>The longest grace a shared break may keep its record after its end (twice the largest probe lease).</summary>
    public static readonly TimeSpan MaxGrace = TimeSpan.FromMinutes(20);

    /// <summary>How long the record of the fleet's epoch is kept after a close (a live instance writes it again if it vanishes).</summary>
    public static readonly TimeSpan EpochRetention = TimeSpan.FromDays(1);

    /// <summary>Printable ASCII without <c>|</c> and spaces, 1 to <see cref="MaxInstanceIdLength"/> characters.</summary>
    public static bool IsValidInstanceId(ReadOnlySpan<char> id)
    {
        if (id.IsEmpty || id.Length > MaxInstanceIdLength)
        {
            return false;
        }

        foreach (char c in id)
        {
            if (c is < '!' or > '~' or '|')
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsCounter(long value) => value is >= 0 and <= MaxCounter;
}
