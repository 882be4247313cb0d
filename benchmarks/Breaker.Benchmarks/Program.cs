using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Breaker.Benchmarks;

// `--quick` runs a short job (about three minutes for the whole suite on two cores); without it, BenchmarkDotNet's
// default job. Any other arguments go to BenchmarkDotNet (for example --filter '*Closed*').
bool quick = args.Contains("--quick");
string[] rest = args.Where(static a => a != "--quick").ToArray();
Job job = quick
    ? Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(6).WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(150))
    : Job.Default;
IConfig config = DefaultConfig.Instance
    .AddJob(job.WithId(quick ? "Quick" : "Full"))
    .AddDiagnoser(MemoryDiagnoser.Default);
IEnumerable<Summary> summaries = BenchmarkSwitcher.FromAssembly(typeof(BenchmarkSettings).Assembly).Run(rest.Length == 0 ? ["--filter", "*"] : rest, config);
TargetReport.Print(summaries.SelectMany(static s => s.Reports));
