using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Runtime.Tests;

/// <summary>
/// Keyed groups under attack from many threads: floods of new keys, with the clock moving and the group reconfigured
/// meanwhile. Bounded in keys per thread; invariants only, never timings.
/// </summary>
public sealed class KeyedGroupStressTests
{
    private const int KeysPerThread = 20_000;
    private static readonly int Threads = Math.Max(4, Environment.ProcessorCount);

    [Fact]
    public async Task A_flood_of_new_keys_from_many_threads_never_evicts_an_open_breaker_and_never_outgrows_the_bound()
    {
        var time = new FakeTimeProvider();
        var registry = new CircuitBreakerRegistry(time);
        CircuitBreakerKeys<string> group = registry.GetOrAddGroup<string>("flood", o =>
        {
            o.MaxKeys = 64;
            o.KeyIdleTimeout = TimeSpan.FromSeconds(1);
            o.MinimumThroughput = 2;
            o.SlidingWindowSize = 2;
            o.BreakDuration = TimeSpan.FromMinutes(1);
        });
        CircuitBreaker[] victims = Enumerable.Range(0, 8).Select(i => group.GetBreaker("victim-" + i)).ToArray();
        foreach (CircuitBreaker victim in victims)
        {
            victim.Fail(2);
        }

        var violations = new ConcurrentQueue<string>();
        int running = Threads;
        var watcher = Task.Run(() =>
        {
            while (Volatile.Read(ref running) > 0)
            {
                if (group.Group.Count > 64)
                {
                    violations.Enqueue($"{group.Group.Count} keys live");
                }

                for (int v = 0; v < victims.Length; v++)
                {
                    if (!group.TryGetBreaker("victim-" + v, out CircuitBreaker? kept) || !ReferenceEquals(kept, victims[v]))
                    {
                        violations.Enqueue($"victim-{v} evicted during its break");
                    }
                }
            }
        });

        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, t =>
        {
            try
            {
                for (int i = 0; i < KeysPerThread; i++)
                {
                    CircuitBreaker breaker = group.GetBreaker($"t{t}-{i}");
                    if (breaker.Group != "flood")
                    {
                        violations.Enqueue($"{breaker.Name} is not in the group");
                    }

                    // One thread moves the clock: 4 s in all, so flooding keys turn idle while the victims' break goes on.
                    if (t == 0 && i % 100 == 0)
                    {
                        time.Advance(TimeSpan.FromMilliseconds(20));
                    }
                }
            }
            finally
            {
                Interlocked.Decrement(ref running);
            }
        });
        await watcher.WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Empty(violations);
        Assert.All(victims, v => Assert.Equal(CircuitState.Open, v.State));
        Assert.True(group.Group.Evictions > 0, "the flood should have made idle keys leave");
        Assert.InRange(registry.Count, 1, 64 + 1);
        Assert.Equal(group.Group.Count + (group.Group.SharedBreaker is null ? 0 : 1), registry.Count);
        Assert.All(registry, b => Assert.Equal("flood", b.Group));
    }

    [Fact]
    public async Task A_group_reconfigured_while_flooded_ends_with_every_breaker_on_the_last_configuration()
    {
        var time = new FakeTimeProvider();
        var registry = new CircuitBreakerRegistry(time);
        CircuitBreakerKeys<long> group = registry.GetOrAddGroup<long>("reconfigured", o =>
        {
            o.MaxKeys = 8;
            o.KeyIdleTimeout = TimeSpan.FromMilliseconds(50);
        });
        int running = Threads;
        var errors = new ConcurrentQueue<Exception>();
        int maxSeen = 0;

        var configurer = Task.Run(() =>
        {
            for (int round = 0; Volatile.Read(ref running) > 0 && round < 2_000; round++)
            {
                int max = round % 2 == 0 ? 8 : 128;
                double ratio = round % 2 == 0 ? 0.25 : 0.5;
                registry.Configure("reconfigured", o => { o.MaxKeys = max; o.FailureRatio = ratio; });
                time.Advance(TimeSpan.FromMilliseconds(10));
            }
        });

        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, t =>
        {
            try
            {
                for (long i = 0; i < KeysPerThread; i++)
                {
                    group.GetBreaker((t * (long)KeysPerThread) + i).TryAcquire().RecordSuccess();
                    int count = group.Group.Count;
                    int seen;
                    while (count > (seen = Volatile.Read(ref maxSeen)) && Interlocked.CompareExchange(ref maxSeen, count, seen) != seen)
                    {
                    }
                }
            }
            catch (Exception ex)
            {
                errors.Enqueue(ex);
            }
            finally
            {
                Interlocked.Decrement(ref running);
            }
        });
        await configurer.WaitAsync(TimeSpan.FromMinutes(1));
        registry.Configure("reconfigured", o => { o.MaxKeys = 16; o.FailureRatio = 0.75; });

        Assert.Empty(errors);
        Assert.InRange(maxSeen, 1, 128);
        Assert.All(registry, b => Assert.Equal(0.75, b.Options.FailureRatio));
        Assert.Equal(group.Group.Count + (group.Group.SharedBreaker is null ? 0 : 1), registry.Count);
        Assert.Equal(0.75, group.GetBreaker(-1).Options.FailureRatio);
    }
}
