using System;
using System.Threading;
using System.Threading.Tasks;
using Breaker.Redis.Tests.Infrastructure;

namespace Breaker.Redis.Tests;

/// <summary>Watching a breaker (health checks, gauges, the monitor, the dashboard) never asks the fleet for the probe lease.</summary>
[Collection(RedisCollection.Name)]
public sealed class ObserverTests(RedisServer redis)
{
    [Fact]
    public async Task A_reader_polling_an_idle_instance_every_10_ms_never_takes_the_probe_from_the_instance_with_traffic()
    {
        await using Dependency dependency = await Dependency.StartAsync();
        dependency.Failing = true;
        await using TestFleet fleet = await TestFleet.StartAsync(2, dependency, redis, static o => o.ProbeLeaseDuration = TimeSpan.FromSeconds(2));
        await fleet.RunUntilAllOpenAsync();
        FleetInstance idle = fleet.Instances[0];
        FleetInstance busy = fleet.Instances[1];
        dependency.Failing = false;
        dependency.ResetCount();

        // A reader polls the idle instance every 10 ms of real time, as a monitor and a health check would, across the end
        // of the break and every publish round after it.
        using var stop = new CancellationTokenSource();
        long reads = 0;
        var reader = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                _ = idle.Breaker.State;
                _ = idle.Breaker.GetMetrics();
                _ = idle.Breaker.CreateRejectedException();
                _ = idle.Breaker.Coordinator!.GetStatus(idle.Breaker);
                _ = idle.Registry.GetSummary();
                Interlocked.Increment(ref reads);
                await Task.Delay(10);
            }
        });
        try
        {
            await fleet.AdvanceAsync(TestFleet.BreakDuration);
            await fleet.TickAsync();
            await fleet.TickAsync();

            // The busy instance's first call asks for the lease and gets it at once: no wait for an idle holder's lease to
            // lapse (it used to be ProbeLeaseDuration and more). The fake clock does not move from here on.
            await busy.CallAsync();
            await Poll.UntilAsync(() => busy.Participant.HoldsLease, "the instance with traffic took the probe lease");
            for (int probe = 0; probe < TestFleet.SuccessThreshold; probe++)
            {
                await busy.CallAsync();
            }

            Assert.Equal(TestFleet.SuccessThreshold, dependency.Requests);
            Assert.Equal(CircuitState.Closed, busy.Breaker.State);
            await Poll.UntilAsync(() => idle.Breaker.State == CircuitState.Closed, "the fleet's close reached the idle instance");
        }
        finally
        {
            await stop.CancelAsync();
            await reader;
        }

        Assert.True(Interlocked.Read(ref reads) > 0);
        Assert.False(idle.Participant.WantsLease || idle.Participant.HoldsLease, "the idle instance asked for the lease");
        Assert.Equal(0, idle.Breaker.GetMetrics().HalfOpenAttempts);
        Assert.Equal(0, idle.Breaker.GetMetrics().TotalCalls - idle.Succeeded - idle.Failed - idle.Rejected);
    }
}
