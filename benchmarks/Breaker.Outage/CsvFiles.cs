using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace Breaker.Outage;

/// <summary>summary.csv and timeline.csv: written by the run, read back by the charts.</summary>
public static class CsvFiles
{
    public const string SummaryFile = "summary.csv";
    public const string TimelineFile = "timeline.csv";

    private const string SummaryHeader =
        "shape,arm,phase,requests,p50_ms,p99_ms,max_ms,error_rate,fallback_rate,downstream_received,downstream_attempts," +
        "first_rejection_s,first_success_s,full_recovery_s,pool_threads_max,pool_pending_max";

    private const string TimelineHeader =
        "shape,arm,second,sent,ok,fallback,rejected,failed,p99_ms,downstream_received,downstream_attempts,pool_threads,pool_pending";

    public static void Start(string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, SummaryFile), SummaryHeader + "\n");
        File.WriteAllText(Path.Combine(directory, TimelineFile), TimelineHeader + "\n");
    }

    /// <summary>Records that an arm did not run, and why, as a comment line the readers skip.</summary>
    public static void Skipped(string directory, string arm, string reason) =>
        File.AppendAllText(Path.Combine(directory, SummaryFile), $"# {arm} skipped: {reason}\n");

    public static void Append(string directory, IEnumerable<SummaryRow> rows) =>
        File.AppendAllLines(Path.Combine(directory, SummaryFile), rows.Select(r => Join(
            r.Shape, r.Arm, r.Phase, r.Requests, r.P50Ms, r.P99Ms, r.MaxMs, r.ErrorRate, r.FallbackRate, r.DownstreamReceived,
            r.DownstreamAttempts, r.FirstRejectionS, r.FirstSuccessS, r.FullRecoveryS, r.PoolThreadsMax, r.PoolPendingMax)));

    public static void Append(string directory, IEnumerable<TimelineRow> rows) =>
        File.AppendAllLines(Path.Combine(directory, TimelineFile), rows.Select(r => Join(
            r.Shape, r.Arm, r.Second, r.Sent, r.Ok, r.Fallback, r.Rejected, r.Failed, r.P99Ms, r.DownstreamReceived,
            r.DownstreamAttempts, r.PoolThreads, r.PoolPending)));

    public static List<SummaryRow> ReadSummary(string directory) =>
        Rows(Path.Combine(directory, SummaryFile)).Select(f => new SummaryRow(
            f[0], f[1], f[2], Int(f[3]), Num(f[4]), Num(f[5]), Num(f[6]), Num(f[7]), Num(f[8]), Long(f[9]), Long(f[10]),
            Num(f[11]), Num(f[12]), Num(f[13]), Int(f[14]), Long(f[15]))).ToList();

    public static List<TimelineRow> ReadTimeline(string directory) =>
        Rows(Path.Combine(directory, TimelineFile)).Select(f => new TimelineRow(
            f[0], f[1], Int(f[2]), Int(f[3]), Int(f[4]), Int(f[5]), Int(f[6]), Int(f[7]), Num(f[8]), Int(f[9]), Int(f[10]),
            Int(f[11]), Long(f[12]))).ToList();

    private static IEnumerable<string[]> Rows(string path) =>
        File.ReadLines(path).Skip(1).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split(','));

    private static string Join(params object[] fields) => string.Join(',', fields.Select(Format));

    private static string Format(object field) => field switch
    {
        double d when double.IsNaN(d) => string.Empty,
        double d => d.ToString("0.###", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => field.ToString() ?? string.Empty,
    };

    private static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);

    private static long Long(string text) => long.Parse(text, CultureInfo.InvariantCulture);

    private static double Num(string text) => text.Length == 0 ? double.NaN : double.Parse(text, CultureInfo.InvariantCulture);
}
