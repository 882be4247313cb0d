using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace Breaker.Telemetry;

/// <summary>
/// The <c>Breaker</c> meter and activity source. Every instrument is checked for <c>Enabled</c> before anything is
/// computed, so with no listener the hot path pays one field read per instrument. A keyed group's breakers are measured
/// under the group's name (one series per group however many keys it has); a group whose options ask for it adds each
/// key as <c>breaker.key</c>.
/// </summary>
internal static class BreakerTelemetry
{
    public const string NameTag = "breaker.name";
    public const string KeyTag = "breaker.key";
    public const string StateTag = "breaker.state";
    public const string OutcomeTag = "breaker.outcome";
    public const string FailureKindTag = "breaker.failure.kind";
    public const string FromStateTag = "breaker.state.from";
    public const string ToStateTag = "breaker.state.to";

    private static readonly string[] FailureKinds = ["exception", "timeout", "http_error", "connection_error", "slow_call"];
    private static readonly string[] StateNames = ["closed", "open", "half_open", "isolated", "metrics_only"];

    private static readonly Meter Meter = new(CircuitBreakerTelemetry.MeterName, typeof(BreakerTelemetry).Assembly.GetName().Version?.ToString());
    private static readonly ConditionalWeakTable<CircuitBreaker, object?> TrackedBreakers = new();
    private static readonly ConditionalWeakTable<CircuitBreakerGroup, object?> TrackedGroups = new();

    public static readonly ActivitySource ActivitySource = new(CircuitBreakerTelemetry.ActivitySourceName);

    public static readonly Counter<long> Calls = Meter.CreateCounter<long>(
        "breaker.calls", "{call}", "Calls that reached a circuit breaker, by outcome.");

    public static readonly Histogram<double> CallDuration = Meter.CreateHistogram<double>(
        "breaker.call.duration", "s", "How long guarded calls took.");

    public static readonly Counter<long> StateTransitions = Meter.CreateCounter<long>(
        "breaker.state.transitions", "{transition}", "Circuit state changes.");

    static BreakerTelemetry()
    {
        Meter.CreateObservableGauge(
            "breaker.state",
            ObserveStates,
            "{state}",
            "Each breaker's state: 0 closed, 1 open, 2 half-open, 3 isolated, 4 metrics-only.");
        Meter.CreateObservableGauge(
            "breaker.group.keys",
            ObserveGroups,
            "{key}",
            "How many breakers of each keyed group (its keys' and its shared one) are in each state.");
    }

    public static void Track(CircuitBreaker breaker) => TrackedBreakers.AddOrUpdate(breaker, null);

    public static void Track(CircuitBreakerGroup group) => TrackedGroups.AddOrUpdate(group, null);

    public static string StateName(CircuitState state) => StateNames[(int)state];

    public static void RecordOutcome(CircuitBreaker breaker, string outcome, FailureKind? kind, TimeSpan? duration)
    {
        if (Calls.Enabled)
        {
            TagList tags = Identity(breaker);
            tags.Add(OutcomeTag, outcome);
            if (kind is { } k)
            {
                tags.Add(FailureKindTag, FailureKinds[(int)k]);
            }

            Calls.Add(1, tags);
        }

        if (duration is { } d && CallDuration.Enabled)
        {
            TagList tags = Identity(breaker);
            tags.Add(OutcomeTag, outcome);
            CallDuration.Record(d.TotalSeconds, tags);
        }
    }

    public static void RecordRejection(CircuitBreaker breaker, CircuitState state)
    {
        if (Calls.Enabled)
        {
            TagList tags = Identity(breaker);
            tags.Add(OutcomeTag, "rejected");
            Calls.Add(1, tags);
        }

        // Reading Activity.Current is an async-local lookup: pay it only when someone traces the Breaker source.
        if (ActivitySource.HasListeners() && Activity.Current is { IsAllDataRequested: true } activity)
        {
            activity.AddEvent(new ActivityEvent("breaker.rejected", tags: new ActivityTagsCollection
            {
                { NameTag, breaker.Name },
                { StateTag, StateName(state) },
            }));
        }
    }

    public static void RecordTransition(CircuitBreaker breaker, CircuitState from, CircuitState to)
    {
        if (StateTransitions.Enabled)
        {
            TagList tags = Identity(breaker);
            tags.Add(FromStateTag, StateName(from));
            tags.Add(ToStateTag, StateName(to));
            StateTransitions.Add(1, tags);
        }

        // Reading Activity.Current is an async-local lookup: pay it only when someone traces the Breaker source.
        if (ActivitySource.HasListeners() && Activity.Current is { IsAllDataRequested: true } activity)
        {
            activity.AddEvent(new ActivityEvent("breaker.state_changed", tags: new ActivityTagsCollection
            {
                { NameTag, breaker.Name },
                { FromStateTag, StateName(from) },
                { ToStateTag, StateName(to) },
            }));
        }
    }

    /// <summary>
    /// Which breaker a measurement is about: its name, or for a key's breaker (or any marked with a group) the group's name,
    /// with the key when the group's options ask for per-key metrics.
    /// </summary>
    private static TagList Identity(CircuitBreaker breaker)
    {
        var tags = new TagList { { NameTag, breaker.Group ?? breaker.Name } };
        if (breaker.KeyedGroup is { MetricsPerKey: true })
        {
            tags.Add(KeyTag, breaker.KeyName);
        }

        return tags;
    }

    private static IEnumerable<Measurement<int>> ObserveStates()
    {
        foreach (KeyValuePair<CircuitBreaker, object?> pair in TrackedBreakers)
        {
            // A breaker marked as part of a group is counted in the group's series, not in one of its own.
            if (pair.Key.Group is null)
            {
                yield return new Measurement<int>((int)pair.Key.State, new KeyValuePair<string, object?>(NameTag, pair.Key.Name));
            }
        }

        // Per key only when the group asks, and only for the keys it holds now (evicted breakers are not reported).
        foreach (KeyValuePair<CircuitBreakerGroup, object?> group in TrackedGroups)
        {
            if (group.Key.MetricsPerKey)
            {
                foreach (CircuitBreaker breaker in GroupBreakers(group.Key))
                {
                    yield return new Measurement<int>((int)breaker.State, Identity(breaker));
                }
            }
        }
    }

    private static IEnumerable<Measurement<int>> ObserveGroups()
    {
        foreach (KeyValuePair<CircuitBreakerGroup, object?> group in TrackedGroups)
        {
            int[] counts = new int[StateNames.Length];
            foreach (CircuitBreaker breaker in GroupBreakers(group.Key))
            {
                counts[(int)breaker.State]++;
            }

            for (int state = 0; state < counts.Length; state++)
            {
                yield return new Measurement<int>(
                    counts[state],
                    new KeyValuePair<string, object?>(NameTag, group.Key.Name),
                    new KeyValuePair<string, object?>(StateTag, StateNames[state]));
            }
        }
    }

    /// <summary>A group's live breakers: its keys' and its shared one.</summary>
    private static IEnumerable<CircuitBreaker> GroupBreakers(CircuitBreakerGroup group) =>
        group.SharedBreaker is { } shared ? [.. group.GetBreakers(), shared] : group.GetBreakers();
}
