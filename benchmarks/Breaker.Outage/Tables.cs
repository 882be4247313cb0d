using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace Breaker.Outage;

/// <summary>summary.md: the figures of summary.csv as one Markdown table per shape, for docs/outage.md.</summary>
public static class Tables
{
    public const string File = "summary.md";

    /// <summary>Writes summary.md beside summary.csv, from it alone; returns its path.</summary>
    public static string Write(OutageSettings settings)
    {
        List<SummaryRow> rows = CsvFiles.ReadSummary(settings.OutputDirectory);
        var text = new StringBuilder();
        foreach (IGrouping<string, SummaryRow> shape in rows.GroupBy(r => r.Shape))
        {
            text.Append(CultureInfo.InvariantCulture, $"#### {shape.Key}\n\n");
            text.Append("| Arm | p99 healthy | p50 / p99 / max down | errors down | fallbacks down | reached the downstream while down | first rejection | first success after healing | full recovery | threads / pending at worst |\n");
            text.Append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            foreach (IGrouping<string, SummaryRow> arm in shape.GroupBy(r => r.Arm))
            {
                SummaryRow healthy = arm.Single(r => r.Phase == "healthy");
                SummaryRow down = arm.Single(r => r.Phase == "down");
                SummaryRow healed = arm.Single(r => r.Phase == "healed");
                long reached = shape.Key == Names.Of(OutageShape.Refused) ? down.DownstreamAttempts : down.DownstreamReceived;
                text.Append(CultureInfo.InvariantCulture,
                    $"| {arm.Key} | {Ms(healthy.P99Ms)} | {Ms(down.P50Ms)} / {Ms(down.P99Ms)} / {Ms(down.MaxMs)} | {Percent(down.ErrorRate)} | {Percent(down.FallbackRate)} " +
                    $"| {reached:N0} of {down.Requests:N0} | {Seconds(down.FirstRejectionS)} | {Seconds(healed.FirstSuccessS)} | {Seconds(healed.FullRecoveryS)} " +
                    $"| {arm.Max(r => r.PoolThreadsMax)} / {arm.Max(r => r.PoolPendingMax):N0} |\n");
            }

            text.Append('\n');
        }

        string path = Path.Combine(settings.OutputDirectory, File);
        System.IO.File.WriteAllText(path, text.ToString());
        return path;
    }

    private static string Ms(double ms) => double.IsNaN(ms) ? "–" : ms.ToString(ms < 10 ? "0.0" : "N0", CultureInfo.InvariantCulture) + " ms";

    private static string Percent(double rate) => double.IsNaN(rate) ? "–" : rate.ToString("0.0%", CultureInfo.InvariantCulture);

    private static string Seconds(double s) => double.IsNaN(s) ? "–" : s.ToString("0.00", CultureInfo.InvariantCulture) + " s";
}
