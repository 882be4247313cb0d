using System;
using System.Threading.Tasks;
using Breaker.Redis.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace Breaker.Redis.Tests;

[Collection(RedisCollection.Name)]
public sealed class ShutdownTests(RedisServer redis)
{
    [Fact]
    public async Task A_Redis_failure_while_stopping_neither_fails_the_stop_nor_leaves_a_breaker_waiting_for_the_fleet()
    {
        string prefix = "stop-" + Guid.NewGuid().ToString("N")[..12];
        var time = new FakeTimeProvider();
        var registry = new CircuitBreakerRegistry(time);
        CircuitBreaker breaker = registry.GetOrAdd(TestFleet.BreakerName, TestFleet.BreakerDefaults);
        var log = new ListLogger();
        await using ConnectionMultiplexer connection = await TestFleet.ConnectAsync(redis);
        var options = new RedisCoordinationOptions
        {
            KeyPrefix = prefix,
            InstanceId = "instance-0",
            PublishInterval = TestFleet.PublishInterval,
            OperationTimeout = TestFleet.OperationTimeout,
        };
        await using var coordinator = new RedisFleetCoordinator(registry, ObservedConnection.Wrap(connection, out ObservedConnection observed), options, log);
        coordinator.Start();
        await PublishLoops.UntilCoordinatingAsync(time, TestFleet.PublishInterval, [coordinator]);

        // The fleet opened the breaker and another instance holds the probe lease: when the break ends, this breaker waits
        // for the fleet's verdict instead of probing.
        IDatabase db = connection.GetDatabase();
        var forger = new Forger(connection, prefix);
        await forger.WriteBreakAsync(0, 1, TestFleet.BreakDuration, TimeSpan.FromMinutes(1), "instance-0");
        await db.StringSetAsync(forger.LeaseKey, "instance-elsewhere", TimeSpan.FromMinutes(1));
        await TickAsync(coordinator, time, TestFleet.PublishInterval);
        await TickAsync(coordinator, time, TestFleet.BreakDuration);
        Assert.False(breaker.TryAcquire().IsGranted, "the breaker should wait for the fleet's probe");

        // The host stops just as Redis fails: the stop is requested from inside the loop's next use of the connection, which
        // then throws, so the failure reaches the loop after stopping began (the order a real shutdown only makes likely).
        var stopRequested = new TaskCompletionSource<Task>(TaskCreationOptions.RunContinuationsAsynchronously);
        observed.FailNextUse(() => stopRequested.SetResult(coordinator.StopAsync()));
        time.Advance(TestFleet.PublishInterval);
        Task stop = await stopRequested.Task.WaitAsync(Poll.Deadline);

        await stop;

        Assert.Null(breaker.Coordinator);
        Assert.False(coordinator.IsCoordinating);
        CircuitPermit probe = breaker.TryAcquire();
        Assert.True(probe.IsGranted, "the breaker should probe on its own once coordination stopped");
        probe.RecordSuccess();
        Assert.Contains(log.Lines, static line =>
            line.StartsWith("Debug: An exchange with Redis failed while fleet coordination was stopping", StringComparison.Ordinal)
            && line.Contains(nameof(RedisConnectionException), StringComparison.Ordinal));
    }

    /// <summary>Moves the clock by <paramref name="step"/> and waits until the loop finished the publish round that fired.</summary>
    private static Task TickAsync(RedisFleetCoordinator coordinator, FakeTimeProvider time, TimeSpan step) =>
        PublishLoops.TickAsync(time, step, [coordinator]);
}
