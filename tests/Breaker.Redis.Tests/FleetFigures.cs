using System.Globalization;
using System.Text;
using System.Threading.Tasks;
using Breaker.Redis.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Breaker.Redis.Tests;

/// <summary>
/// The figure in docs/fleet.md: requests that reach a failing dependency before every instance stops calling it, and
/// probes sent once it recovers, for 1, 4 and 16 instances, coordinated through Redis or each on its own. Deterministic:
/// every instance makes one call per round and the publish loops run only between rounds.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class FleetFigures(RedisServer redis, ITestOutputHelper output)
{
    [Fact]
    public async Task Requests_that_reach_a_failing_dependency_for_1_4_and_16_instances()
    {
        await using Dependency dependency = await Dependency.StartAsync();
        StringBuilder table = new StringBuilder()
            .AppendLine("| instances | failed requests, local only | failed requests, coordinated | probes per break, local only | probes per break, coordinated |")
            .AppendLine("|---:|---:|---:|---:|---:|");

        foreach (int instances in new[] { 1, 4, 16 })
        {
            (long localFailed, long localProbes) = await MeasureAsync(instances, dependency, coordinated: false);
            (long fleetFailed, long fleetProbes) = await MeasureAsync(instances, dependency, coordinated: true);
            table.AppendLine(CultureInfo.InvariantCulture, $"| {instances} | {localFailed} | {fleetFailed} | {localProbes} | {fleetProbes} |");

            Assert.Equal(instances * TestFleet.MinimumThroughput, localFailed);
            Assert.Equal(instances * TestFleet.SuccessThreshold, localProbes);
            Assert.True(fleetProbes <= TestFleet.SuccessThreshold, $"{instances} instances sent {fleetProbes} probes");
            if (instances == 1)
            {
                // One instance alone is never a fleet (MinimumInstances = 2): it behaves exactly as a local breaker.
                Assert.Equal(localFailed, fleetFailed);
            }
            else
            {
                Assert.True(fleetFailed < localFailed, $"{instances} instances: coordinated {fleetFailed}, local {localFailed}");
            }
        }

        output.WriteLine(table.ToString());
    }

    private async Task<(long Failed, long Probes)> MeasureAsync(int instances, Dependency dependency, bool coordinated)
    {
        await using TestFleet fleet = await TestFleet.StartAsync(instances, dependency, coordinated ? redis : null);
        dependency.Failing = true;
        dependency.ResetCount();
        await fleet.RunUntilAllOpenAsync();
        long failed = dependency.Requests;

        // ProbesUntilAllClosedAsync opens them again (already open: no call) and counts the probes after the break.
        long probes = await fleet.ProbesUntilAllClosedAsync(dependency);
        return (failed, probes);
    }
}
