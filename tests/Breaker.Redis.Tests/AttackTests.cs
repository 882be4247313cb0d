using System;
using System.Threading.Tasks;
using Breaker.Redis.Tests.Infrastructure;

namespace Breaker.Redis.Tests;

/// <summary>
/// Issue 27's attacks, each against a real Redis (the scenarios are in <see cref="Attacks"/>): a lone fast opener's break
/// reaches the fleet, and no write without the key nor any replay of something signed earlier opens or lengthens anything.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class AttackTests(RedisServer redis)
{
    [Theory]
    [InlineData(1, false)]
    [InlineData(1, true)]
    [InlineData(2, false)]
    public async Task A_lone_fast_openers_break_reaches_the_fleet_within_one_round(int minimumInstances, bool lateJoiner)
    {
        await using Dependency dependency = await Dependency.StartAsync();
        (TimeSpan healthy, TimeSpan joiner) = await Attacks.LoneFastOpenerAsync(redis, dependency, minimumInstances, lateJoiner);

        // The break the opener shared, less the two rounds it took to get here.
        Assert.InRange(healthy, TestFleet.BreakDuration - TimeSpan.FromSeconds(4), TestFleet.BreakDuration);
        if (lateJoiner)
        {
            Assert.InRange(joiner, TestFleet.BreakDuration - TimeSpan.FromSeconds(8), TestFleet.BreakDuration - TimeSpan.FromSeconds(2));
        }
    }

    [Fact]
    public async Task Pexpire_on_a_signed_break_does_not_stretch_it_for_an_instance_that_reads_it_later()
    {
        await using Dependency dependency = await Dependency.StartAsync();
        TimeSpan joiner = await Attacks.StretchedBreakAsync(redis, dependency);

        // 20 s of the 30 s break had run: what is left of the signed break, never the hour the TTL says.
        Assert.InRange(joiner, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(12));
    }

    [Fact]
    public async Task A_signed_break_of_an_earlier_epoch_replayed_to_a_fresh_instance_opens_nothing()
    {
        await using Dependency dependency = await Dependency.StartAsync();
        (int succeeded, int rejected) = await Attacks.ReplayedBreakToFreshInstanceAsync(redis, dependency);
        Assert.Equal((3, 0), (succeeded, rejected));
    }

    [Fact]
    public async Task Replayed_signed_counts_of_a_blip_that_never_opened_the_fleet_open_nothing()
    {
        await using Dependency dependency = await Dependency.StartAsync();
        Assert.Equal(0, await Attacks.ReplayedCountsAsync(redis, dependency));
    }
}
