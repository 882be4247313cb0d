using System.Globalization;
using BenchmarkDotNet.Attributes;

namespace Breaker.Benchmarks;

/// <summary>
/// One call through a closed circuit of a keyed method (one breaker per key) whose key already has its breaker, by a
/// string key and by an int key, against the plain generated method: the price of finding the key's breaker.
/// </summary>
public class KeyedCallBenchmarks
{
    private readonly GuardedService _service = new();

    // Built at run time, not a literal: the lookup hashes and compares the text as it would a key read from a request.
    private readonly string _tenant = "tenant-" + 42.ToString(CultureInfo.InvariantCulture);

    [GlobalSetup]
    public void CreateTheKeys()
    {
        _service.ComputeForTenant(_tenant, 1);
        _service.ComputeForShard(42, 1);
    }

    [Benchmark(Baseline = true)]
    public int Breaker_Sync() => _service.Compute(1);

    [Benchmark]
    public int Breaker_Keyed_String() => _service.ComputeForTenant(_tenant, 1);

    [Benchmark]
    public int Breaker_Keyed_Int() => _service.ComputeForShard(42, 1);
}
