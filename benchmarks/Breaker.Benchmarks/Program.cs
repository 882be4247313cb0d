using System;
using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

// `--quick` runs a short job (about three minutes for the whole suite on two cores); without it, BenchmarkDotNet's default job.
bool quick = args.Contains("--quick");
string[] rest = args.Where(static a => a != "--quick").ToArray();
Job job = quick
    ? Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(5).WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(100))
    : Job.Default;
IConfig config = DefaultConfig.Instance
    .AddJob(job.WithId(quick ? "Quick" : "Full"))
    .AddDiagnoser(MemoryDiagnoser.Default)
    .WithOptions(ConfigOptions.JoinSummary);
BenchmarkSwitcher.FromAssembly(typeof(Breaker.Benchmarks.BenchmarkSettings).Assembly).Run(rest.Length == 0 ? ["--filter", "*"] : rest, config);
