using System.Collections.Generic;

namespace Breaker.Telemetry;

/// <summary>
/// The tag sets one series reports its measurements under (a breaker's, or a group's when it reports its keys as one), built
/// once when the series is first reported. Only tags: the counts it reports never go back because the breaker's own
/// successes are published never lower than before (<c>CircuitBreaker.SuccessfulCalls</c>) and a group's totals likewise
/// (<see cref="GroupCallTotals"/>).
/// </summary>
internal sealed class BreakerSeries
{
    private static readonly string[] FailureKindNames = ["exception", "timeout", "http_error", "connection_error", "slow_call"];
    private static readonly int[] PercentileValues = [50, 95, 99];

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
}
