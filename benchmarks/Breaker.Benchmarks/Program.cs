using System;
using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Breaker.Benchmarks;

// `--quick` runs a short job (about three minutes for the whole suite on two cores); without it, BenchmarkDotNet's
// default job. Any other arguments go to BenchmarkDotNet (for example --filter '*Closed*'). `--group-memory` runs only
// the one-shot heap measurement of a million keys through one keyed group (GroupMemoryMeasurement.cs); `--weights` only
// what a breaker weighs beside a Polly pipeline, at this processor count and at 64 (WeightMeasurement.cs).
if (args.Contains("--group-memory"))
{
    GroupMemoryMeasurement.Run();
    return;
}

if (args.Contains("--weights"))
{
    WeightMeasurement.Run(args);
    return;
}

bool quick = args.Contains("--quick");
string[] rest = args.Where(static a => a != "--quick").ToArray();
Job job = quick
    ? Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(6).WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(150))
    : Job.Default;
// The generated benchmark project builds the generator and the runtime again: on a busy two-core machine that can take
// longer than BenchmarkDotNet's default two minutes.
IConfig config = DefaultConfig.Instance
    .AddJob(job.WithId(quick ? "Quick" : "Full"))
    .AddDiagnoser(MemoryDiagnoser.Default)
    .WithBuildTimeout(TimeSpan.FromMinutes(10));
// The fleet benchmark needs a Redis server: it runs when BREAKER_REDIS names one, or when a --filter asks for it.
string[] selection = rest.Length > 0
    ? rest
    : ["--filter", .. typeof(BenchmarkSettings).Assembly.GetTypes()
        .Where(static t => t.IsPublic && t.GetMethods().Any(static m => m.IsDefined(typeof(BenchmarkAttribute), inherit: false)))
        .Where(static t => t != typeof(FleetCoordinationBenchmarks) || Environment.GetEnvironmentVariable("BREAKER_REDIS") is not null)
        .Select(static t => t.FullName + ".*")];
IEnumerable<Summary> summaries = BenchmarkSwitcher.FromAssembly(typeof(BenchmarkSettings).Assembly).Run(selection, config);
TargetReport.Print(summaries.SelectMany(static s => s.Reports));
