using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ScottPlot;

namespace Breaker.Outage;

/// <summary>
/// One PNG per outage shape, drawn from timeline.csv alone: the front's p99 latency, what it answered and what failed each
/// second, the requests that reached the downstream and the thread pool's threads, one line per arm, the outage shaded.
/// </summary>
public static class Charts
{
    private const string FontName = "DejaVu Sans";

    // Debian's fonts-dejavu-core (./test.sh installs it); the Skia assets have no fontconfig, so the file is named.
    private static readonly string[] FontFiles =
    [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    ];

    private static readonly Dictionary<string, Color> ArmColors = new()
    {
        [Names.Of(Arm.NoBreaker)] = Color.FromHex("#7f7f7f"),
        [Names.Of(Arm.Polly)] = Color.FromHex("#d62728"),
        [Names.Of(Arm.Breaker)] = Color.FromHex("#1f77b4"),
        [Names.Of(Arm.BreakerFallback)] = Color.FromHex("#2ca02c"),
        [Names.Of(Arm.BreakerFleet)] = Color.FromHex("#9467bd"),
        [Names.Of(Arm.BreakerInFlight)] = Color.FromHex("#ff7f0e"),
    };

    /// <summary>Draws the charts of the run in <see cref="OutageSettings.OutputDirectory"/>; returns the files written.</summary>
    public static List<string> Draw(OutageSettings settings)
    {
        UseFont();
        List<TimelineRow> timeline = CsvFiles.ReadTimeline(settings.OutputDirectory);
        var files = new List<string>();
        foreach (IGrouping<string, TimelineRow> shape in timeline.GroupBy(r => r.Shape))
        {
            string file = Path.Combine(settings.OutputDirectory, $"outage-{shape.Key}.png");
            DrawShape(shape.Key, shape.ToList(), settings).SavePng(file, 1400, 1800);
            files.Add(file);
        }

        return files;
    }

    private static Multiplot DrawShape(string shape, List<TimelineRow> rows, OutageSettings settings)
    {
        (string Title, Func<TimelineRow, double> Value)[] panels =
        [
            ($"{shape}: the front's p99 latency (ms, by due time)", r => r.P99Ms),
            ("answered per second (the downstream's answer or a fallback)", r => r.Ok + r.Fallback),
            ("errors per second (failed or rejected)", r => r.Failed + r.Rejected),
            (shape == Names.Of(OutageShape.Refused)
                ? "requests sent toward the downstream per second (connection attempts: none gets in while it is down)"
                : "requests reaching the downstream per second", r => shape == Names.Of(OutageShape.Refused) ? r.DownstreamAttempts : r.DownstreamReceived),
            ("thread-pool threads of the front's process (worst in each second)", r => r.PoolThreads),
        ];

        var multiplot = new Multiplot();
        multiplot.AddPlots(panels.Length);
        for (int p = 0; p < panels.Length; p++)
        {
            Plot plot = multiplot.GetPlot(p);
            plot.Font.Set(FontName);
            ScottPlot.Plottables.HorizontalSpan outage = plot.Add.HorizontalSpan(settings.OutageStart, settings.HealStart);
            outage.FillStyle.Color = Colors.Red.WithAlpha(0.08);
            outage.LineStyle.Width = 0;
            foreach (IGrouping<string, TimelineRow> arm in rows.GroupBy(r => r.Arm))
            {
                double[] xs = arm.Select(r => r.Second + 0.5).ToArray();
                double[] ys = arm.Select(r => panels[p].Value(r)).Select(v => double.IsNaN(v) ? 0 : v).ToArray();
                ScottPlot.Plottables.Scatter line = plot.Add.ScatterLine(xs, ys);
                line.LegendText = arm.Key;
                line.LineWidth = 2;
                line.Color = ArmColors.TryGetValue(arm.Key, out Color color) ? color : Colors.Black;
            }

            plot.Title(panels[p].Title, size: 16);
            plot.XLabel("seconds (outage shaded)");
            double top = rows.Select(r => panels[p].Value(r)).Where(v => !double.IsNaN(v)).DefaultIfEmpty(1).Max();
            plot.Axes.SetLimits(0, settings.TotalSeconds, 0, Math.Max(1, top * 1.08));
            plot.ShowLegend(Edge.Right);
        }

        return multiplot;
    }

    private static void UseFont()
    {
        string? file = FontFiles.FirstOrDefault(File.Exists);
        if (file is null)
        {
            throw new InvalidOperationException(
                "The charts need the DejaVu Sans font file: apt-get install fonts-dejavu-core (./test.sh does it).");
        }

        Fonts.AddFontFile(FontName, file);
    }
}
