using System;
using System.Threading.Tasks;

namespace Breaker.Outage;

/// <summary>
/// <c>dotnet run -c Release --project benchmarks/Breaker.Outage -- [--rate 500] [--healthy 15] [--down 25] [--healed 20]
/// [--timeout-ms 1000] [--shapes hang,fast-503,refused,partial-30] [--arms no-breaker,polly,...] [--out docs/outage]
/// [--no-charts] [--charts-only]</c>: summary.csv, timeline.csv, summary.md and one chart per
/// shape in the output directory (<c>--charts-only</c> redraws the table and charts from the CSV). See docs/outage.md.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        bool chartsOnly = Array.IndexOf(args, "--charts-only") >= 0;
        OutageSettings settings;
        try
        {
            settings = OutageSettings.Parse(Array.FindAll(args, a => a != "--charts-only"));
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }

        if (!chartsOnly)
        {
            Console.WriteLine($"Machine: {Environment.ProcessorCount} processors, load average {Machine.LoadAverage()}, {Machine.CpuModel()}");
            await OutageRunner.RunAsync(settings, Console.WriteLine);
            Console.WriteLine($"Load average after the run: {Machine.LoadAverage()}");
        }

        Console.WriteLine($"Table: {Tables.Write(settings)}");
        if (settings.DrawCharts || chartsOnly)
        {
            foreach (string file in Charts.Draw(settings))
            {
                Console.WriteLine($"Chart: {file}");
            }
        }

        return 0;
    }
}
