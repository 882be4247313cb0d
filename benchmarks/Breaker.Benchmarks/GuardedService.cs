using System;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;

namespace Breaker.Benchmarks;

/// <summary>
/// The guarded methods the benchmarks call: bodies written by the generator, with the shared settings (ratio 0.5,
/// 10 calls, a 30 s time window, a 60 s break). Each benchmark has its own breaker name so none disturbs another.
/// </summary>
public sealed partial class GuardedService
{
    private readonly Task<int> _completed = Task.FromResult(42);
    private int _offset = 41;

    [CircuitBreaker("bench-sync", FailureRatio = 0.5, MinimumThroughput = 10, SamplingDurationMs = 30_000, BreakDurationMs = 60_000)]
    public partial int Compute(int value);

    [CircuitBreaker("bench-valuetask", FailureRatio = 0.5, MinimumThroughput = 10, SamplingDurationMs = 30_000, BreakDurationMs = 60_000)]
    public partial ValueTask<int> ComputeValueTaskAsync(int value);

    [CircuitBreaker("bench-task", FailureRatio = 0.5, MinimumThroughput = 10, SamplingDurationMs = 30_000, BreakDurationMs = 60_000)]
    public partial Task<int> ComputeTaskAsync(int value);

    [CircuitBreaker("bench-open-fallback", Fallback = nameof(Cached), FailureRatio = 0.5, MinimumThroughput = 10, SamplingDurationMs = 30_000, BreakDurationMs = 60_000)]
    public partial int ComputeOrFallback(int value);

    [CircuitBreaker("bench-open-throw", FailureRatio = 0.5, MinimumThroughput = 10, SamplingDurationMs = 30_000, BreakDurationMs = 60_000)]
    public partial int ComputeOrThrow(int value);

    [CircuitBreaker("bench-contended", FailureRatio = 0.5, MinimumThroughput = 10, SamplingDurationMs = 30_000, BreakDurationMs = 60_000)]
    public partial int ComputeContended(int value);

    [CircuitBreaker("bench-telemetry", FailureRatio = 0.5, MinimumThroughput = 10, SamplingDurationMs = 30_000, BreakDurationMs = 60_000)]
    public partial int ComputeObserved(int value);

    [CircuitBreaker("bench-keyed-string", Key = nameof(tenant), FailureRatio = 0.5, MinimumThroughput = 10, SamplingDurationMs = 30_000, BreakDurationMs = 60_000)]
    public partial int ComputeForTenant(string tenant, int value);

    [CircuitBreaker("bench-keyed-int", Key = nameof(shard), FailureRatio = 0.5, MinimumThroughput = 10, SamplingDurationMs = 30_000, BreakDurationMs = 60_000)]
    public partial int ComputeForShard(int shard, int value);

    [CircuitBreaker("bench-histogram", FailureRatio = 0.5, MinimumThroughput = 10, SamplingDurationMs = 30_000, BreakDurationMs = 60_000)]
    public partial int ComputeHistogrammed(int value);

    /// <summary>The same work with no breaker: the direct-call baseline.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public int ComputeDirect(int value) => value + _offset;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public ValueTask<int> ComputeDirectValueTaskAsync(int value) => new(value + _offset);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public Task<int> ComputeDirectTaskAsync(int value) => _completed;

    /// <summary>Opens the breaker called <paramref name="name"/> with failures, as a failing dependency would.</summary>
    public static void Trip(string name)
    {
        if (!CircuitBreakerRegistry.Default.TryGet(name, out CircuitBreaker? breaker))
        {
            throw new InvalidOperationException($"No breaker '{name}': call its method once first.");
        }

        while (breaker.State == CircuitState.Closed)
        {
            breaker.TryAcquire().RecordFailure(new InvalidOperationException("down"));
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private int ComputeCore(int value) => value + _offset;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private ValueTask<int> ComputeValueTaskAsyncCore(int value) => new(value + _offset);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private Task<int> ComputeTaskAsyncCore(int value) => _completed;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private int ComputeOrFallbackCore(int value) => value + _offset;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private int ComputeOrThrowCore(int value) => value + _offset;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private int ComputeContendedCore(int value) => value + _offset;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private int ComputeObservedCore(int value) => value + _offset;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private int ComputeForTenantCore(string tenant, int value) => value + _offset;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private int ComputeForShardCore(int shard, int value) => value + _offset;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private int ComputeHistogrammedCore(int value) => value + _offset;

    private static int Cached() => -1;
}
