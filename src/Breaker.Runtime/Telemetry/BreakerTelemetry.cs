using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace Breaker.Telemetry;

/// <summary>
/// The <c>Breaker</c> meter, the opt-in <c>Breaker.Histograms</c> meter and the activity source.
/// </summary>
/// <remarks>
/// Production collects metrics all the time, so the <c>Breaker</c> meter costs a call nothing: its counts and percentiles
/// are observable instruments that read, when a collector asks (every few seconds), the counters each breaker keeps anyway.
/// Only state transitions (rare) are counted as they happen. A true per-call histogram cannot be observable (.NET has no
/// observable histogram), so it lives in a meter of its own that a collector must ask for by name.
/// A keyed group's breakers are measured under the group's name, one series per group however many keys it has (the counts
/// of evicted keys kept); a group whose options set <see cref="CircuitBreakerOptions.MetricsPerKey"/> reports each live key
/// with <c>breaker.key</c> instead.
/// </remarks>
internal static class BreakerTelemetry
{
    public const string NameTag = "breaker.name";
    public const string KeyTag = "breaker.key";
    public const string StateTag = "breaker.state";
    public const string OutcomeTag = "breaker.outcome";
    public const string FailureKindTag = "breaker.failure.kind";
    public const string FromStateTag = "breaker.state.from";
    public const string ToStateTag = "breaker.state.to";
    public const string PercentileTag = "breaker.percentile";

    public const string Success = "success";
    public const string Failure = "failure";
    public const string Rejected = "rejected";
    public const string Ignored = "ignored";

    private static readonly string[] StateNames = ["closed", "open", "half_open", "isolated", "metrics_only"];
    private static readonly string? Version = typeof(BreakerTelemetry).Assembly.GetName().Version?.ToString();

    private static readonly Meter Meter = new(CircuitBreakerTelemetry.MeterName, Version);
    private static readonly Meter HistogramMeter = new(CircuitBreakerTelemetry.HistogramMeterName, Version);
    private static readonly ConditionalWeakTable<CircuitBreaker, object?> TrackedBreakers = new();
    private static readonly ConditionalWeakTable<CircuitBreakerGroup, object?> TrackedGroups = new();

    public static readonly ActivitySource ActivitySource = new(CircuitBreakerTelemetry.ActivitySourceName);

    /// <summary>The opt-in per-call histogram: recorded on every call that ran while a listener enables it.</summary>
    public static readonly Histogram<double> CallDuration = HistogramMeter.CreateHistogram<double>(
        "breaker.call.duration", "s", "How long each guarded call that ran took, recorded per call.");

    public static readonly Counter<long> StateTransitions = Meter.CreateCounter<long>(
        "breaker.state.transitions", "{transition}", "Circuit state changes.");

    static BreakerTelemetry()
    {
        Meter.CreateObservableCounter(
            "breaker.calls",
            ObserveCalls,
            "{call}",
            "Calls that reached a circuit breaker, by outcome (and failure kind), since the breaker was created.");
        Meter.CreateObservableCounter(
            "breaker.call.time",
            ObserveCallTime,
            "s",
            "Time spent in guarded calls that ran (successes and failures), since the breaker was created.");
        Meter.CreateObservableGauge(
            "breaker.window.call.duration",
            ObserveWindowDurations,
            "s",
            "Percentiles of the durations of the calls in each breaker's sliding window (breaker.percentile: 50, 95, 99).");
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

    /// <summary>Records one call's duration in the opt-in histogram. A listener that throws fails neither the call nor the breaker.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void RecordDuration(CircuitBreaker breaker, string outcome, TimeSpan duration)
    {
        try
        {
            BreakerSeries series = breaker.Series;
            CallDuration.Record(duration.TotalSeconds, outcome == Success ? series.Success : series.Failure);
        }
        catch (Exception)
        {
            // The listener's fault: the call it measured went through.
        }
    }

    public static void RecordRejection(CircuitBreaker breaker, CircuitState state)
    {
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
            try
            {
                TagList tags = new(breaker.Series.Name);
                tags.Add(FromStateTag, StateName(from));
                tags.Add(ToStateTag, StateName(to));
                StateTransitions.Add(1, tags);
            }
            catch (Exception)
            {
                // A listener that throws must not fail the call whose outcome moved the circuit.
            }
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

    private static IEnumerable<Measurement<long>> ObserveCalls()
    {
        foreach (CircuitBreaker breaker in ReportedBreakers())
        {
            var counts = new CallCounts();
            counts.Add(breaker);

            // Successes are derived, and published never lower than before (CircuitBreaker.SuccessfulCalls): no second guard here.
            foreach (Measurement<long> measurement in CallMeasurements(breaker.Series, counts))
            {
                yield return measurement;
            }
        }

        foreach (CircuitBreakerGroup group in GroupsReportedWhole())
        {
            CallCounts counts = group.CallTotals.Read(GroupBreakers(group));
            foreach (Measurement<long> measurement in CallMeasurements(group.Series, counts))
            {
                yield return measurement;
            }
        }
    }

    /// <summary>One series' <c>breaker.calls</c>: successes, failures by kind, rejections and ignored calls.</summary>
    private static IEnumerable<Measurement<long>> CallMeasurements(BreakerSeries series, CallCounts counts)
    {
        yield return new Measurement<long>(counts.Successes, series.Success);
        for (int kind = 0; kind < series.Failures.Length; kind++)
        {
            yield return new Measurement<long>(counts.Failures[kind], series.Failures[kind]);
        }

        yield return new Measurement<long>(counts.Rejected, series.Rejected);
        yield return new Measurement<long>(counts.Ignored, series.Ignored);
    }

    private static IEnumerable<Measurement<double>> ObserveCallTime()
    {
        foreach (CircuitBreaker breaker in ReportedBreakers())
        {
            yield return new Measurement<double>(breaker.TotalDurationSeconds(), breaker.Series.Name);
        }

        foreach (CircuitBreakerGroup group in GroupsReportedWhole())
        {
            yield return new Measurement<double>(group.CallTotals.Read(GroupBreakers(group)).Seconds, group.Series.Name);
        }
    }

    private static IEnumerable<Measurement<double>> ObserveWindowDurations()
    {
        // Percentiles do not add up: a group reports them per key when it reports keys, and otherwise not at all.
        foreach (CircuitBreaker breaker in ReportedBreakers())
        {
            // A window without calls has no percentile: the breaker reports none rather than a zero that would read as fast.
            (double? p50, double? p95, double? p99) = breaker.ReadWindowDurations();
            KeyValuePair<string, object?>[][] tags = breaker.Series.Percentiles;
            double frequency = breaker.TimeProvider.TimestampFrequency;
            if (p50 is double median)
            {
                yield return new Measurement<double>(median / frequency, tags[0]);
                yield return new Measurement<double>(p95.GetValueOrDefault() / frequency, tags[1]);
                yield return new Measurement<double>(p99.GetValueOrDefault() / frequency, tags[2]);
            }
        }
    }

    private static IEnumerable<Measurement<int>> ObserveStates()
    {
        foreach (CircuitBreaker breaker in ReportedBreakers())
        {
            yield return new Measurement<int>((int)breaker.State, breaker.Series.Name);
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

    /// <summary>Every breaker reported on its own: those outside groups, and the live keys of groups that report keys.</summary>
    private static IEnumerable<CircuitBreaker> ReportedBreakers()
    {
        foreach (KeyValuePair<CircuitBreaker, object?> pair in TrackedBreakers)
        {
            yield return pair.Key;
        }

        foreach (KeyValuePair<CircuitBreakerGroup, object?> group in TrackedGroups)
        {
            if (group.Key.MetricsPerKey)
            {
                foreach (CircuitBreaker breaker in GroupBreakers(group.Key))
                {
                    yield return breaker;
                }
            }
        }
    }

    /// <summary>The groups reported as one series (those that do not report keys).</summary>
    private static IEnumerable<CircuitBreakerGroup> GroupsReportedWhole()
    {
        foreach (KeyValuePair<CircuitBreakerGroup, object?> group in TrackedGroups)
        {
            if (!group.Key.MetricsPerKey)
            {
                yield return group.Key;
            }
        }
    }

    /// <summary>A group's live breakers, its keys' and its shared one, walked without a copy (a collection reads them once per instrument).</summary>
    private static IEnumerable<CircuitBreaker> GroupBreakers(CircuitBreakerGroup group) => group.WalkBreakers();
}
