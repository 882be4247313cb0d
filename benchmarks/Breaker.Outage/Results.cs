using System;
using System.Collections.Generic;
using System.Linq;

namespace Breaker.Outage;

/// <summary>One second of one arm's run (by the requests' due times; downstream counts by arrival).</summary>
public sealed record TimelineRow(
    string Shape,
    string Arm,
    int Second,
    int Sent,
    int Ok,
    int Fallback,
    int Rejected,
    int Failed,
    double P99Ms,
    int DownstreamReceived,
    int DownstreamAttempts,
    int PoolThreads,
    long PoolPending);

/// <summary>One phase of one arm's run. Times are seconds from the phase's start; NaN where they do not apply.</summary>
public sealed record SummaryRow(
    string Shape,
    string Arm,
    string Phase,
    int Requests,
    double P50Ms,
    double P99Ms,
    double MaxMs,
    double ErrorRate,
    double FallbackRate,
    long DownstreamReceived,
    long DownstreamAttempts,
    double FirstRejectionS,
    double FirstSuccessS,
    double FullRecoveryS,
    int PoolThreadsMax,
    long PoolPendingMax);

/// <summary>Turns one arm's samples and counters into its timeline and its per-phase summary.</summary>
public static class Results
{
    public static bool IsError(CallOutcome outcome) => outcome is CallOutcome.Failed or CallOutcome.Rejected or CallOutcome.NoAnswer;

    public static bool IsRejection(CallOutcome outcome) => outcome is CallOutcome.Rejected or CallOutcome.FallbackAfterRejection;

    public static List<TimelineRow> Timeline(OutageShape shape, Arm arm, OutageSettings settings, Sample[] samples, PerSecond received, PerSecond attempts, ThreadPoolSampler pool)
    {
        var rows = new List<TimelineRow>();
        ILookup<int, Sample> bySecond = samples.ToLookup(s => (int)s.Intended);
        for (int second = 0; second < (int)Math.Ceiling(settings.TotalSeconds); second++)
        {
            Sample[] these = bySecond[second].ToArray();
            rows.Add(new TimelineRow(
                Names.Of(shape),
                Names.Of(arm),
                second,
                these.Length,
                these.Count(s => s.Outcome == CallOutcome.Ok),
                these.Count(s => s.Outcome is CallOutcome.FallbackAfterFailure or CallOutcome.FallbackAfterRejection),
                these.Count(s => s.Outcome == CallOutcome.Rejected),
                these.Count(s => s.Outcome is CallOutcome.Failed or CallOutcome.NoAnswer),
                Percentile(these.Select(s => s.LatencyMs), 0.99),
                received[second],
                attempts[second],
                pool.ThreadsAt(second),
                pool.PendingAt(second)));
        }

        return rows;
    }

    public static List<SummaryRow> Summary(OutageShape shape, Arm arm, OutageSettings settings, Sample[] samples, PerSecond received, PerSecond attempts, ThreadPoolSampler pool)
    {
        (string Name, double From, double To)[] phases =
        [
            ("healthy", 0, settings.OutageStart),
            ("down", settings.OutageStart, settings.HealStart),
            ("healed", settings.HealStart, settings.TotalSeconds),
        ];
        var rows = new List<SummaryRow>();
        foreach ((string name, double from, double to) in phases)
        {
            Sample[] these = samples.Where(s => s.Intended >= from && s.Intended < to).ToArray();
            double[] latencies = these.Select(s => s.LatencyMs).ToArray();
            int threads = 0;
            long pending = 0;
            for (int second = (int)from; second < (int)Math.Ceiling(to); second++)
            {
                threads = Math.Max(threads, pool.ThreadsAt(second));
                pending = Math.Max(pending, pool.PendingAt(second));
            }

            rows.Add(new SummaryRow(
                Names.Of(shape),
                Names.Of(arm),
                name,
                these.Length,
                Percentile(latencies, 0.50),
                Percentile(latencies, 0.99),
                latencies.Length == 0 ? double.NaN : latencies.Max(),
                these.Length == 0 ? double.NaN : (double)these.Count(s => IsError(s.Outcome)) / these.Length,
                these.Length == 0 ? double.NaN : (double)these.Count(s => s.Outcome is CallOutcome.FallbackAfterFailure or CallOutcome.FallbackAfterRejection) / these.Length,
                received.Sum(from, to),
                attempts.Sum(from, to),
                name == "down" ? FirstCompletion(these, IsRejection, from) : double.NaN,
                name == "healed" ? FirstCompletion(these, o => o == CallOutcome.Ok, from) : double.NaN,
                name == "healed" ? FullRecovery(these, from) : double.NaN,
                threads,
                pending));
        }

        return rows;
    }

    /// <summary>The nearest-rank percentile; NaN for no values.</summary>
    public static double Percentile(IEnumerable<double> values, double percentile)
    {
        double[] sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(percentile * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    /// <summary>Seconds from <paramref name="phaseStart"/> to the first answer that matches, by when it came back.</summary>
    private static double FirstCompletion(Sample[] samples, Func<CallOutcome, bool> matches, double phaseStart)
    {
        double first = double.PositiveInfinity;
        foreach (Sample s in samples)
        {
            if (matches(s.Outcome))
            {
                first = Math.Min(first, s.Intended + (s.LatencyMs / 1000) - phaseStart);
            }
        }

        return double.IsPositiveInfinity(first) ? double.NaN : first;
    }

    /// <summary>
    /// Seconds from healing until every request answers normally again: when the first request due after the last one that
    /// did not came back; NaN when the run ended before that.
    /// </summary>
    private static double FullRecovery(Sample[] samples, double healStart)
    {
        Sample[] ordered = samples.OrderBy(s => s.Intended).ToArray();
        int lastBad = Array.FindLastIndex(ordered, s => s.Outcome != CallOutcome.Ok);
        if (lastBad == ordered.Length - 1)
        {
            return double.NaN;
        }

        Sample recovered = ordered[lastBad + 1];
        return recovered.Intended + (recovered.LatencyMs / 1000) - healStart;
    }
}
