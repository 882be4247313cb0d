using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace Breaker.Outage;

/// <summary>Runs every shape against every arm, one after another, and writes the CSV (and the charts) as it goes.</summary>
public static class OutageRunner
{
    private const int FleetSize = 3;

    /// <summary>What one run produced: the rows written, and the arms it could not run with the reason.</summary>
    public sealed record Report(List<SummaryRow> Summary, List<TimelineRow> Timeline, Dictionary<Arm, string> Skipped);

    public static async Task<Report> RunAsync(OutageSettings settings, Action<string> log)
    {
        CsvFiles.Start(settings.OutputDirectory);
        var report = new Report([], [], []);
        RedisProcess? redis = null;
        if (settings.Arms.Contains(Arm.BreakerFleet))
        {
            redis = RedisProcess.TryStart(out string why);
            if (redis is null)
            {
                report.Skipped[Arm.BreakerFleet] = why;
                CsvFiles.Skipped(settings.OutputDirectory, Names.Of(Arm.BreakerFleet), why);
                log($"{Names.Of(Arm.BreakerFleet)} is skipped: {why}.");
            }
        }

        try
        {
            foreach (OutageShape shape in settings.Shapes)
            {
                foreach (Arm arm in settings.Arms.Where(a => !report.Skipped.ContainsKey(a)))
                {
                    log($"{Names.Of(shape)} / {Names.Of(arm)}: {settings.TotalSeconds} s at {settings.Rate} requests/s");
                    (List<SummaryRow> summary, List<TimelineRow> timeline) = await RunArmAsync(settings, shape, arm, redis);
                    CsvFiles.Append(settings.OutputDirectory, summary);
                    CsvFiles.Append(settings.OutputDirectory, timeline);
                    report.Summary.AddRange(summary);
                    report.Timeline.AddRange(timeline);
                    foreach (SummaryRow row in summary)
                    {
                        log($"  {row.Phase,-8} p50 {row.P50Ms,8:0.0} ms  p99 {row.P99Ms,8:0.0} ms  errors {row.ErrorRate,6:P1}  downstream {row.DownstreamReceived,6}  first rejection {row.FirstRejectionS:0.00} s  recovery {row.FullRecoveryS:0.00} s  threads {row.PoolThreadsMax}  pending {row.PoolPendingMax}");
                    }
                }
            }
        }
        finally
        {
            redis?.Dispose();
        }

        return report;
    }

    private static async Task<(List<SummaryRow>, List<TimelineRow>)> RunArmAsync(OutageSettings settings, OutageShape shape, Arm arm, RedisProcess? redis)
    {
        var clock = new RunClock();
        var received = new PerSecond(clock, settings.TotalSeconds);
        var attempts = new PerSecond(clock, settings.TotalSeconds);
        await using Downstream downstream = await Downstream.StartAsync(received);
        var fleet = new List<(ConnectionMultiplexer Connection, RedisFleetCoordinator Coordinator)>();
        var fronts = new List<Front>();
        try
        {
            string runId = Guid.NewGuid().ToString("N")[..8];
            int instances = arm == Arm.BreakerFleet ? FleetSize : 1;
            for (int i = 0; i < instances; i++)
            {
                // Each fleet instance has its own registry, as separate processes would; the fleet is what Redis makes of them.
                var registry = new CircuitBreakerRegistry();
                IDownstreamCaller caller = CreateCaller(settings, arm, downstream.BaseAddress, attempts, $"{Names.Of(shape)}-{runId}", registry);
                if (arm == Arm.BreakerFleet)
                {
                    fleet.Add(await JoinFleetAsync(registry, redis!, runId, i));
                }

                fronts.Add(await Front.StartAsync(caller));
            }

            Uri[] addresses = fronts.Select(f => f.BaseAddress).ToArray();
            using var load = new LoadGenerator();
            await load.WarmUpAsync(addresses, settings.WarmUpRequests);
            ResetFallbackBreaker();
            received.Clear();
            attempts.Clear();
            clock.Restart();
            using var pool = new ThreadPoolSampler(clock, settings.TotalSeconds);
            Task outage = DriveOutageAsync(settings, shape, downstream, clock);
            Sample[] samples = await load.RunAsync(addresses, settings.Rate, settings.TotalSeconds, clock);
            await outage;
            return (Results.Summary(shape, arm, settings, samples, received, attempts, pool), Results.Timeline(shape, arm, settings, samples, received, attempts, pool));
        }
        finally
        {
            foreach (Front front in fronts)
            {
                await front.DisposeAsync();
            }

            foreach ((ConnectionMultiplexer connection, RedisFleetCoordinator coordinator) in fleet)
            {
                await coordinator.DisposeAsync();
                await connection.DisposeAsync();
            }

            // Let the sockets of this arm close before the next one starts.
            GC.Collect();
            await Task.Delay(500);
        }
    }

    private static IDownstreamCaller CreateCaller(OutageSettings settings, Arm arm, Uri downstream, PerSecond attempts, string suffix, CircuitBreakerRegistry registry)
    {
        switch (arm)
        {
            case Arm.NoBreaker:
                return new NoBreakerCaller(downstream, settings.CallTimeout, attempts);
            case Arm.Polly:
                return new PollyCaller(downstream, settings.CallTimeout, attempts);
            case Arm.BreakerFallback:
                CircuitBreakerRegistry.Default.Configure(FallbackCaller.BreakerName, o => Thresholds.Apply(o, settings.CallTimeout, countSlowCallsInFlight: false));
                return new FallbackCaller(downstream, attempts);
            case Arm.BreakerFleet:
                CircuitBreaker member = registry.GetOrAdd("outage-fleet", o => Thresholds.Apply(o, settings.CallTimeout, countSlowCallsInFlight: false));
                return new BreakerCaller(member, downstream, attempts);
            default:
                var options = new CircuitBreakerOptions();
                Thresholds.Apply(options, settings.CallTimeout, countSlowCallsInFlight: arm == Arm.BreakerInFlight);
                return new BreakerCaller(new CircuitBreaker($"outage-{Names.Of(arm)}-{suffix}", options), downstream, attempts);
        }
    }

    private static async Task<(ConnectionMultiplexer, RedisFleetCoordinator)> JoinFleetAsync(CircuitBreakerRegistry registry, RedisProcess redis, string runId, int instance)
    {
        ConnectionMultiplexer connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var coordinator = new RedisFleetCoordinator(
            registry,
            connection,
            new RedisCoordinationOptions { KeyPrefix = $"outage-{runId}", InstanceId = $"front-{instance}" });
        coordinator.Start();
        return (connection, coordinator);
    }

    /// <summary>The generated breaker lives in the default registry for the process: each arm starts it closed and empty.</summary>
    private static void ResetFallbackBreaker()
    {
        if (CircuitBreakerRegistry.Default.TryGet(FallbackCaller.BreakerName, out CircuitBreaker? breaker))
        {
            breaker.Reset();
        }
    }

    // A dedicated thread waits and switches, so that a starved thread pool can delay neither the outage nor the healing
    // (for a hang or a 503 the switch is a field write; only stopping and starting the listener awaits anything).
    private static Task DriveOutageAsync(OutageSettings settings, OutageShape shape, Downstream downstream, RunClock clock) =>
        Task.Factory.StartNew(
            () =>
            {
                WaitUntil(clock, settings.OutageStart);
                downstream.BreakAsync(shape).GetAwaiter().GetResult();
                WaitUntil(clock, settings.HealStart);
                downstream.HealAsync().GetAwaiter().GetResult();
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

    private static void WaitUntil(RunClock clock, double seconds)
    {
        while (clock.Seconds < seconds)
        {
            Thread.Sleep(1);
        }
    }
}
