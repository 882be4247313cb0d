using System;
using System.Reflection;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Breaker.Benchmarks.Runtimes;

// In process: the program is self-contained on the runtime it was built for (the .NET 8 one from the runtime pack), and
// BenchmarkDotNet's default toolchain would build and start a child on an installed shared runtime there is none of.
// The toolchain is set on the job, so the short job stays the one that runs.
Job job = Job.Default
    .WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(6)
    .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(150))
    .WithToolchain(InProcessEmitToolchain.Instance)
    .WithId("Quick-InProcess");
IConfig config = DefaultConfig.Instance.AddJob(job).AddDiagnoser(MemoryDiagnoser.Default);
Console.WriteLine($"Runtime {Environment.Version}; {typeof(global::Breaker.CircuitBreaker).Assembly.GetCustomAttribute<System.Runtime.Versioning.TargetFrameworkAttribute>()?.FrameworkName} build of Breaker.Runtime");
BenchmarkRunner.Run<ClosedCallBenchmarks>(config, args);
