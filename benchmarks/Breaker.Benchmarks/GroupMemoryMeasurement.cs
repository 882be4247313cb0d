using System;
using System.Diagnostics;
using System.Globalization;

namespace Breaker.Benchmarks;

/// <summary>
/// <c>--group-memory</c>: a million distinct keys through one keyed group, reporting the managed heap before and after
/// (<see cref="GC.GetTotalMemory(bool)"/> after a full collection). Twice: through the generated int-keyed method (the
/// default bound, every key still fresh, so the keys past the bound share the group's breaker), and through a group
/// whose keys go idle after a millisecond (so the keys past the bound evict idle ones and the group keeps churning).
/// A one-shot measurement, not a BenchmarkDotNet case: what matters is what stays on the heap, not the time per call.
/// </summary>
internal static class GroupMemoryMeasurement
{
    private const int DistinctKeys = 1_000_000;

    public static void Run()
    {
        var service = new GuardedService();
        service.ComputeForShard(-1, 1);
        if (!CircuitBreakerRegistry.Default.TryGetGroup("bench-keyed-int", out CircuitBreakerGroup? generated))
        {
            throw new InvalidOperationException("The generated keyed method registered no group.");
        }

        Measure("generated method, default bound and idle timeout", generated, key => service.ComputeForShard(key, 1));

        CircuitBreakerKeys<int> churning = new CircuitBreakerRegistry().GetOrAddGroup<int>(
            "bench-churn",
            static o => o.KeyIdleTimeout = TimeSpan.FromMilliseconds(1));
        Measure("group whose keys go idle after 1 ms", churning.Group, key => churning.GetBreaker(key).Execute(static () => 1));
    }

    private static void Measure(string what, CircuitBreakerGroup group, Action<int> call)
    {
        long before = Heap();
        long start = Stopwatch.GetTimestamp();
        for (int key = 0; key < DistinctKeys; key++)
        {
            call(key);
        }

        TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
        long after = Heap();
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{what}: {DistinctKeys:N0} distinct keys in {elapsed.TotalSeconds:F2} s; managed heap {before / 1024.0 / 1024.0:F1} MiB before, {after / 1024.0 / 1024.0:F1} MiB after; {group.Count:N0} of {group.Options.MaxKeys:N0} keys live, {group.Evictions:N0} evicted, {group.SharedCalls:N0} calls to {group.Name}:*"));
    }

    private static long Heap()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
