using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace Breaker.Telemetry;

/// <summary>
/// The <c>Breaker</c> meter and activity source. Every instrument is checked for <c>Enabled</c> before anything is
/// computed, so with no listener the hot path pays one field read per instrument.
/// </summary>
internal static class BreakerTelemetry
{

    public const string NameTag = "breaker.name";
    public const string OutcomeTag = "breaker.outcome";
    public const string FailureKindTag = "breaker.failure.kind";
    public const string FromStateTag = "breaker.state.from";
    public const string ToStateTag = "breaker.state.to";

    private static readonly string[] FailureKinds = ["exception", "timeout", "http_error", "connection_error", "slow_call"];
    private static readonly string[] StateNames = ["closed", "open", "half_open", "isolated", "metrics_only"];

    private static readonly Meter Meter = new(CircuitBreakerTelemetry.MeterName, typeof(BreakerTelemetry).Assembly.GetName().Version?.ToString());
    private static readonly ConditionalWeakTable<CircuitBreaker, object?> TrackedBreakers = new();

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
    }

    public static void Track(CircuitBreaker breaker) => TrackedBreakers.AddOrUpdate(breaker, null);

    public static string StateName(CircuitState state) => StateNames[(int)state];

    public static void RecordOutcome(CircuitBreaker breaker, string outcome, FailureKind? kind, TimeSpan? duration)
    {
        if (Calls.Enabled)
        {
            var tags = new TagList { { NameTag, breaker.Name }, { OutcomeTag, outcome } };
            if (kind is { } k)
            {
                tags.Add(FailureKindTag, FailureKinds[(int)k]);
            }

            Calls.Add(1, tags);
        }

        if (duration is { } d && CallDuration.Enabled)
        {
            CallDuration.Record(d.TotalSeconds, new KeyValuePair<string, object?>(NameTag, breaker.Name), new KeyValuePair<string, object?>(OutcomeTag, outcome));
        }
    }

    public static void RecordRejection(CircuitBreaker breaker, CircuitState state)
    {
        if (Calls.Enabled)
        {
            Calls.Add(1, new KeyValuePair<string, object?>(NameTag, breaker.Name), new KeyValuePair<string, object?>(OutcomeTag, "rejected"));
        }

        // Reading Activity.Current is an async-local lookup: pay it only when someone traces the Breaker source.
        if (ActivitySource.HasListeners() && Activity.Current is { IsAllDataRequested: true } activity)
        {
            activity.AddEvent(new ActivityEvent("breaker.rejected", tags: new ActivityTagsCollection
            {
                { NameTag, breaker.Name },
                { "breaker.state", StateName(state) },
            }));
        }
    }

    public static void RecordTransition(CircuitBreaker breaker, CircuitState from, CircuitState to)
    {
        if (StateTransitions.Enabled)
        {
            StateTransitions.Add(
                1,
                new KeyValuePair<string, object?>(NameTag, breaker.Name),
                new KeyValuePair<string, object?>(FromStateTag, StateName(from)),
                new KeyValuePair<string, object?>(ToStateTag, StateName(to)));
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

    private static IEnumerable<Measurement<int>> ObserveStates()
    {
        foreach (KeyValuePair<CircuitBreaker, object?> pair in TrackedBreakers)
        {
            yield return new Measurement<int>((int)pair.Key.State, new KeyValuePair<string, object?>(NameTag, pair.Key.Name));
        }
    }
}
