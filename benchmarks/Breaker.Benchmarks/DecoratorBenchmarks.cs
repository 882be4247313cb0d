using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;

namespace Breaker.Benchmarks;

/// <summary>The interface a decorated call goes through: a stand-in for a client the user does not own.</summary>
public interface ICompute
{
    int Compute(int value);
}

/// <summary>The implementation behind <see cref="ComputeDecorator"/>: the same work as <see cref="GuardedService.ComputeDirect"/>.</summary>
public sealed class Computer : ICompute
{
    private int _offset = 41;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public int Compute(int value) => value + _offset;
}

/// <summary>A generated decorator with the settings of <see cref="GuardedService"/>'s breakers.</summary>
[CircuitBreaker("bench-decorator", FailureRatio = 0.5, MinimumThroughput = 10, SamplingDurationMs = 30_000, BreakDurationMs = 60_000)]
public sealed partial class ComputeDecorator : ICompute;

/// <summary>One call through a closed circuit: a generated decorator of an interface beside a generated partial method.</summary>
public class DecoratorBenchmarks
{
    private readonly GuardedService _service = new();
    private readonly ICompute _decorated = new ComputeDecorator(new Computer());
    private readonly ICompute _undecorated = new Computer();

    [Benchmark(Baseline = true)]
    public int PartialMethod() => _service.Compute(1);

    [Benchmark]
    public int Decorator() => _decorated.Compute(1);

    [Benchmark]
    public int Interface_NoBreaker() => _undecorated.Compute(1);
}
