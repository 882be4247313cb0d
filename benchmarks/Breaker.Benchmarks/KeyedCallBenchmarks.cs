using System.Globalization;
using BenchmarkDotNet.Attributes;

namespace Breaker.Benchmarks;

/// <summary>
/// One call through a closed circuit of a keyed method (one breaker per key) whose key already has its breaker, by a
/// string key and by an int key, against the plain generated method: the price of finding the key's breaker. With one key,
/// and with 16 live keys used in turn (each call finds another key's breaker, as a service serving many tenants does).
/// </summary>
public class KeyedCallBenchmarks
{
    private const int RotatingKeys = 16;

    private readonly GuardedService _service = new();

    // Built at run time, not literals: the lookup hashes and compares the text as it would a key read from a request.
    private readonly string _tenant = "tenant-" + 42.ToString(CultureInfo.InvariantCulture);
    private readonly string[] _tenants = new string[RotatingKeys];
    private readonly int[] _shards = new int[RotatingKeys];
    private int _next;

    [GlobalSetup]
    public void CreateTheKeys()
    {
        _service.ComputeForTenant(_tenant, 1);
        _service.ComputeForShard(42, 1);
        for (int i = 0; i < RotatingKeys; i++)
        {
            _tenants[i] = "tenant-" + (1_000 + (i * 7)).ToString(CultureInfo.InvariantCulture);
            _shards[i] = 1_000 + (i * 7);
            _service.ComputeForTenant(_tenants[i], 1);
            _service.ComputeForShard(_shards[i], 1);
        }
    }

    [Benchmark(Baseline = true)]
    public int Breaker_Sync() => _service.Compute(1);

    [Benchmark]
    public int Breaker_Keyed_String() => _service.ComputeForTenant(_tenant, 1);

    [Benchmark]
    public int Breaker_Keyed_Int() => _service.ComputeForShard(42, 1);

    [Benchmark]
    public int Breaker_Keyed_String_16Keys() => _service.ComputeForTenant(_tenants[_next++ & (RotatingKeys - 1)], 1);

    [Benchmark]
    public int Breaker_Keyed_Int_16Keys() => _service.ComputeForShard(_shards[_next++ & (RotatingKeys - 1)], 1);
}
