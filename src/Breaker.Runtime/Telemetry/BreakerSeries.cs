using System.Collections.Generic;
using Breaker.Timing;

namespace Breaker.Telemetry;

/// <summary>
/// The tag sets one breaker reports its measurements under, built once when the breaker is created, and what it last
/// reported for the one count it derives rather than keeps (successes), so that count never goes backwards.
/// </summary>
internal sealed class BreakerSeries
{
    private static readonly string[] FailureKindNames = ["exception", "timeout", "http_error", "connection_error", "slow_call"];
    private static readonly int[] PercentileValues = [50, 95, 99];

    private long _reportedSuccesses;

    /// <summary>The series of a breaker (or a keyed group) called <paramref name="name"/>; with <c>breaker.key</c> when <paramref name="key"/> is given.</summary>
    public BreakerSeries(string name, string? key)
    {
        KeyValuePair<string, object?>[] identity = key is null
            ? [new(BreakerTelemetry.NameTag, name)]
            : [new(BreakerTelemetry.NameTag, name), new(BreakerTelemetry.KeyTag, key)];
        Name = identity;
        Success = [.. identity, new(BreakerTelemetry.OutcomeTag, BreakerTelemetry.Success)];
        Rejected = [.. identity, new(BreakerTelemetry.OutcomeTag, BreakerTelemetry.Rejected)];
        Ignored = [.. identity, new(BreakerTelemetry.OutcomeTag, BreakerTelemetry.Ignored)];
        Failure = [.. identity, new(BreakerTelemetry.OutcomeTag, BreakerTelemetry.Failure)];
        Failures = new KeyValuePair<string, object?>[FailureKindNames.Length][];
        for (int kind = 0; kind < FailureKindNames.Length; kind++)
        {
            Failures[kind] = [.. Failure, new(BreakerTelemetry.FailureKindTag, FailureKindNames[kind])];
        }

        Percentiles = new KeyValuePair<string, object?>[PercentileValues.Length][];
        for (int i = 0; i < PercentileValues.Length; i++)
        {
            Percentiles[i] = [.. identity, new(BreakerTelemetry.PercentileTag, PercentileValues[i])];
        }
    }

    /// <summary><c>breaker.name</c> alone (and <c>breaker.key</c> for a key reported on its own).</summary>
    public KeyValuePair<string, object?>[] Name { get; }

    public KeyValuePair<string, object?>[] Success { get; }

    /// <summary>A failure without its kind (the per-call duration histogram's tags).</summary>
    public KeyValuePair<string, object?>[] Failure { get; }

    public KeyValuePair<string, object?>[] Rejected { get; }

    public KeyValuePair<string, object?>[] Ignored { get; }

    /// <summary>A failure of each <see cref="FailureKind"/>, by its value.</summary>
    public KeyValuePair<string, object?>[][] Failures { get; }

    /// <summary>The 50th, 95th and 99th percentiles, in that order.</summary>
    public KeyValuePair<string, object?>[][] Percentiles { get; }

    /// <summary>
    /// The success count to report, given a fresh read that may lag behind the truth but never runs ahead of it: the
    /// highest read so far. So the counter never decreases, and once calls stop it is exact.
    /// </summary>
    public long Successes(long read) => HighWaterMark.Raise(ref _reportedSuccesses, read);
}
