using System;
using System.Globalization;
using System.IO;
using System.Threading.Tasks;
using Breaker.AspNetCore.Endpoints;
using Breaker.AspNetCore.History;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.AspNetCore.Tests;

/// <summary>
/// Bytes allocated by what the dashboard makes the server do, at 10,000 breakers (allocation counts are not timings, so
/// they may be asserted; the times are in benchmarks/, MonitorCostBenchmarks). Before issue 25 a history round allocated
/// 2.1 MB, an events request 77.5 MB whether its query was good or bad, a summary request 4.4 MB. The endpoints run in the
/// test's thread on a <see cref="DefaultHttpContext"/> whose response goes nowhere, as Kestrel would run them.
/// </summary>
public sealed class MonitorAllocationTests
{
    private const int Breakers = 10_000;
    private const long KiB = 1024;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly IServiceProvider _services = new ServiceCollection().BuildServiceProvider();

    [Fact]
    public void At_10000_breakers_the_dashboards_requests_and_a_history_round_allocate_little()
    {
        var registry = new CircuitBreakerRegistry(_time);
        for (int i = 0; i < Breakers; i++)
        {
            CircuitBreaker breaker = registry.GetOrAdd(string.Create(CultureInfo.InvariantCulture, $"partners:api-{i:D5}.example.com:443"), static o => o.MinimumThroughput = 100);
            breaker.Isolate();
            breaker.Reset();
            Use(breaker);
            _time.Advance(TimeSpan.FromMilliseconds(1));
        }

        using var history = new FailureRateHistory(registry);
        var events = new EventEndpoints(registry, history);
        var monitor = new MonitorEndpoints(registry);
        history.Sample();

        Assert.InRange(Allocated(history.Sample), 0, 64 * KiB);
        Assert.InRange(Allocated(() => Run(events.GetAllEventsAsync, "?limit=25", StatusCodes.Status200OK)), 0, 512 * KiB);
        Assert.InRange(Allocated(() => Run(events.GetAllEventsAsync, "?limit=0", StatusCodes.Status400BadRequest)), 0, 16 * KiB);
        Assert.InRange(Allocated(() => Run(monitor.GetSummaryAsync, "?order=worst&limit=24", StatusCodes.Status200OK)), 0, 2048 * KiB);
    }

    [Fact]
    public void A_keyed_group_of_10000_keys_costs_the_history_one_series()
    {
        // A round over a small group first, so that what the runtime compiles or loads on first use is not counted below.
        using (var warm = new FailureRateHistory(KeyedRegistry(10)))
        {
            warm.Sample();
        }

        using var history = new FailureRateHistory(KeyedRegistry(Breakers));
        long before = GC.GetAllocatedBytesForCurrentThread();
        history.Sample();
        long first = GC.GetAllocatedBytesForCurrentThread() - before;

        // The first round makes the group's series and nothing for any key (before issue 25: 3,756 bytes a key).
        Assert.InRange(first, 0, 64 * KiB);
        Assert.InRange(Allocated(history.Sample), 0, 64 * KiB);
    }

    private CircuitBreakerRegistry KeyedRegistry(int keys)
    {
        var registry = new CircuitBreakerRegistry(_time);
        CircuitBreakerKeys<int> tenants = registry.GetOrAddGroup<int>("tenants", static o => o.MaxKeys = Breakers);
        for (int key = 0; key < keys; key++)
        {
            Use(tenants.GetBreaker(key));
        }

        return registry;
    }

    // A failure and a success: a failure rate of 0.5 that opens nothing (the minimum throughput is not reached).
    private static void Use(CircuitBreaker breaker)
    {
        breaker.TryAcquire().RecordFailure(new InvalidOperationException("down"));
        breaker.TryAcquire().RecordSuccess();
    }

    /// <summary>Bytes this thread allocates running <paramref name="action"/> the second time (the first pays for compiling it).</summary>
    private static long Allocated(Action action)
    {
        action();
        long before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private void Run(Func<HttpContext, Task> endpoint, string query, int status)
    {
        var context = new DefaultHttpContext { RequestServices = _services };
        context.Request.Method = "GET";
        context.Request.QueryString = new QueryString(query);
        context.Response.Body = Stream.Null;
        Task answered = endpoint(context);

        // Written to a stream that completes at once: the whole request ran on this thread, so its bytes were counted.
        Assert.True(answered.IsCompletedSuccessfully);
        Assert.Equal(status, context.Response.StatusCode);
    }
}
