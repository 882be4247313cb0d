using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;

namespace Breaker.Outage.Tests;

/// <summary>
/// The outage benchmark's smoke mode: every arm, one shape (the downstream answers 503 for 3 seconds), a few seconds each,
/// then the table and the charts from the CSV. It checks what the run must show, never how fast: every arm wrote its rows, the arms with
/// a breaker stopped sending during the outage while the arm without one sent everything, the fallback answered
/// every failure, and the charts were drawn.
/// </summary>
public sealed class OutageSmokeTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "breaker-outage-smoke-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Every_arm_runs_the_outage_and_the_breakers_stop_sending_to_the_dead_downstream()
    {
        var settings = new OutageSettings
        {
            Rate = 100,
            HealthySeconds = 1,
            DownSeconds = 3,
            HealedSeconds = 2,
            WarmUpRequests = 20,
            Shapes = [OutageShape.Fast503],
            OutputDirectory = _directory,
        };
        var log = new List<string>();

        OutageRunner.Report report = await OutageRunner.RunAsync(settings, log.Add);
        List<string> charts = Charts.Draw(settings);
        string table = File.ReadAllText(Tables.Write(settings));

        // redis-server is installed by ./test.sh: the fleet arm must run, not be skipped.
        Assert.Empty(report.Skipped);
        List<SummaryRow> summary = CsvFiles.ReadSummary(_directory);
        // The CSV holds what the run measured (figures rounded to three decimals).
        Assert.Equal(report.Summary.Select(Key), summary.Select(Key));
        Assert.Equal(Enum.GetValues<Arm>().Select(Names.Of).Order(), summary.Select(r => r.Arm).Distinct().Order());
        Assert.All(summary.GroupBy(r => r.Arm), arm => Assert.Equal(["healthy", "down", "healed"], arm.Select(r => r.Phase)));
        Assert.All(summary, row => Assert.True(row.Requests > 0, $"{row.Arm} {row.Phase}: no requests"));
        Assert.Equal(Enum.GetValues<Arm>().Length * 6, CsvFiles.ReadTimeline(_directory).Count);

        SummaryRow Down(Arm arm) => summary.Single(r => r.Arm == Names.Of(arm) && r.Phase == "down");

        // Without a breaker every request of the outage is sent and fails.
        SummaryRow unguarded = Down(Arm.NoBreaker);
        Assert.True(unguarded.DownstreamAttempts >= unguarded.Requests * 0.95, $"no-breaker sent {unguarded.DownstreamAttempts} of {unguarded.Requests}");
        Assert.True(unguarded.ErrorRate >= 0.95, $"no-breaker error rate {unguarded.ErrorRate}");
        Assert.True(double.IsNaN(unguarded.FirstRejectionS));

        // Every breaker rejected during the outage, and sent the downstream fewer requests than no breaker did.
        foreach (Arm arm in new[] { Arm.Polly, Arm.Breaker, Arm.BreakerFallback, Arm.BreakerFleet, Arm.BreakerInFlight })
        {
            SummaryRow down = Down(arm);
            Assert.False(double.IsNaN(down.FirstRejectionS), $"{Names.Of(arm)} never rejected");
            Assert.True(down.DownstreamAttempts < unguarded.DownstreamAttempts, $"{Names.Of(arm)} sent {down.DownstreamAttempts}, no-breaker {unguarded.DownstreamAttempts}");
        }

        // The fallback answered every failed or rejected request of the outage: no error reached a caller. (A request due
        // at the outage's first instant may still get the healthy answer: the switch is not atomic with the schedule.)
        SummaryRow fallback = Down(Arm.BreakerFallback);
        Assert.Equal(0, fallback.ErrorRate);
        Assert.True(fallback.FallbackRate >= 0.95, $"fallback answered {fallback.FallbackRate:P1}");

        Assert.All(Enum.GetValues<Arm>(), arm => Assert.Contains($"| {Names.Of(arm)} |", table, StringComparison.Ordinal));
        Assert.Equal([Path.Combine(_directory, "outage-fast-503.png")], charts);
        Assert.True(new FileInfo(charts[0]).Length > 10_000, "the chart is (nearly) empty");
    }

    private static (string, string, string, int, long, long, string) Key(SummaryRow r) =>
        (r.Shape, r.Arm, r.Phase, r.Requests, r.DownstreamReceived, r.DownstreamAttempts, r.ErrorRate.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void Arguments_are_read_and_nonsense_is_refused_with_its_name()
    {
        var settings = OutageSettings.Parse(["--rate", "250", "--down", "10", "--shapes", "hang,partial-30", "--arms", "polly,breaker-inflight", "--no-charts"]);

        Assert.Equal(250, settings.Rate);
        Assert.Equal(10, settings.DownSeconds);
        Assert.Equal([OutageShape.Hang, OutageShape.Partial], settings.Shapes);
        Assert.Equal([Arm.Polly, Arm.BreakerInFlight], settings.Arms);
        Assert.False(settings.DrawCharts);
        Assert.Contains("--rate", Assert.Throws<ArgumentException>(() => OutageSettings.Parse(["--rate", "-5"])).Message, StringComparison.Ordinal);
        Assert.Contains("--healed", Assert.Throws<ArgumentException>(() => OutageSettings.Parse(["--healed", "NaN"])).Message, StringComparison.Ordinal);
        Assert.Contains("tornado", Assert.Throws<ArgumentException>(() => OutageSettings.Parse(["--shapes", "tornado"])).Message, StringComparison.Ordinal);
        Assert.Contains("--down", Assert.Throws<ArgumentException>(() => OutageSettings.Parse(["--down"])).Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
