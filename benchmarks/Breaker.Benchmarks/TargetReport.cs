using System;
using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Reports;

namespace Breaker.Benchmarks;

/// <summary>After a run, prints Breaker's figures against Polly's from the same run, and whether each target is met.</summary>
internal static class TargetReport
{
    public static void Print(IEnumerable<BenchmarkReport> reports)
    {
        var byName = reports
            .Where(static r => r.ResultStatistics is not null)
            .GroupBy(Key)
            .ToDictionary(static g => g.Key, static g => g.First());

        Console.WriteLine();
        Console.WriteLine("Targets (ratios within this run)");
        Console.WriteLine("| Target | Breaker | Peer | Ratio | Breaker allocates | Met |");
        Console.WriteLine("|---|---:|---:|---:|---:|:---:|");
        Faster(byName, "Closed sync: at most 1/5 of Polly's time, 0 B", "Breaker_Sync", "Polly_Sync", maxRatio: 1.0 / 5);
        Faster(byName, "ValueTask<T>: at most 1/4 of Polly's time, 0 B", "Breaker_ValueTask", "Polly_Async", maxRatio: 1.0 / 4);
        Faster(byName, "Rejection with fallback: 10x faster than Polly's outcome path, 0 B", "Breaker_RejectedWithFallback", "Polly_RejectedOutcome", maxRatio: 1.0 / 10);
        Faster(byName, "Two threads: 3x Polly's throughput", "Breaker_TwoThreads", "Polly_TwoThreads", maxRatio: 1.0 / 3, checkAllocation: false);
        if (byName.TryGetValue("FullRun_1000Methods", out BenchmarkReport? generator))
        {
            double ms = generator.ResultStatistics!.Mean / 1e6;
            Console.WriteLine($"| Generator: 1,000 methods in under a second | {ms:0.0} ms | | | | {(ms < 1000 ? "yes" : "NO")} |");
        }

        Faster(byName, "Metrics on: a metered call at most 2x an unmetered one, 0 B", "Breaker_Sync(Listening=True)", "Breaker_Sync(Listening=False)", maxRatio: 2);
        Faster(byName, "Metrics on: 5x faster than Polly metered, 0 B", "Breaker_Sync(Listening=True)", "Polly_Sync(Listening=True)", maxRatio: 1.0 / 5);
        Faster(byName, "(info) Polly: metered vs unmetered", "Polly_Sync(Listening=True)", "Polly_Sync(Listening=False)", maxRatio: double.MaxValue, checkAllocation: false);
        Faster(byName, "(info) Opt-in per-call histogram vs metrics on", "Breaker_Sync_PerCallHistogram", "Breaker_Sync(Listening=True)", maxRatio: double.MaxValue);
    }

    private static void Faster(Dictionary<string, BenchmarkReport> reports, string target, string breaker, string peer, double maxRatio, bool checkAllocation = true)
    {
        if (!reports.TryGetValue(breaker, out BenchmarkReport? ours) || !reports.TryGetValue(peer, out BenchmarkReport? theirs))
        {
            return;
        }

        double ratio = ours.ResultStatistics!.Mean / theirs.ResultStatistics!.Mean;
        long? allocated = ours.GcStats.GetBytesAllocatedPerOperation(ours.BenchmarkCase);
        bool met = ratio <= maxRatio && (!checkAllocation || allocated == 0);
        Console.WriteLine($"| {target} | {Ns(ours)} | {Ns(theirs)} | {ratio:0.000} (1/{1 / ratio:0.0}) | {allocated} B | {(met ? "yes" : "NO")} |");
    }

    private static string Ns(BenchmarkReport report) => $"{report.ResultStatistics!.Mean:0.00} ns";

    private static string Key(BenchmarkReport report)
    {
        string method = report.BenchmarkCase.Descriptor.WorkloadMethod.Name;
        return report.BenchmarkCase.HasParameters
            ? $"{method}({string.Join(", ", report.BenchmarkCase.Parameters.Items.Select(static p => $"{p.Name}={p.Value}"))})"
            : method;
    }
}
