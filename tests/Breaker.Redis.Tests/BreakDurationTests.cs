using System;
using System.Linq;
using System.Threading.Tasks;
using Breaker.Redis.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Redis.Tests;

/// <summary>
/// Break lengths a fleet shares: the one its opener chose (what the dependency asked for, jitter drawn once), as a duration,
/// held by each receiver to its own longest break. Real Redis, fake clock.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class BreakDurationTests(RedisServer redis)
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task A_Retry_After_break_is_shared_and_each_receiver_holds_it_to_its_own_longest_break()
    {
        await using Dependency dependency = await Dependency.StartAsync();

        // Every breaker: a 30 s break without back-off. Instance 2 takes breaks of at most 60 s; the others, of 10 minutes.
        await using TestFleet fleet = await TestFleet.StartAsync(
            2,
            dependency,
            redis,
            configure: static (_, o) => o.SigningKey = TestFleet.SigningKey,
            clockOffset: null,
            breakerOptions: static (index, o) => o.MaxBreakDuration = index == 2 ? TimeSpan.FromSeconds(60) : TimeSpan.FromMinutes(10));

        // The dependency tells both instances to come back in two minutes: too few calls for either breaker, enough for the fleet.
        foreach (FleetInstance instance in fleet.Instances)
        {
            for (int i = 0; i < TestFleet.MinimumThroughput / 2; i++)
            {
                instance.Breaker.TryAcquire().RecordFailure(null, FailureKind.HttpError, RetryAfter);
            }

            Assert.Equal(CircuitState.Closed, instance.Breaker.State);
        }

        await TickUntilAllOpenAsync(fleet);
        Assert.All(fleet.Instances, static i =>
        {
            Assert.InRange(i.RetryAfter, RetryAfter - TimeSpan.FromSeconds(10), RetryAfter);
            Assert.True(i.Participant.FollowsBreak);
        });

        // Two instances join during the break; neither saw the dependency's answer. The one whose breaks are at most 60 s
        // takes 60 s; the other the fleet's two minutes, four times its own break (not cut to its 30 s without back-off).
        // A joiner applies a break at its second round, once it has seen the opener's rounds move (docs/fleet.md, Freshness).
        FleetInstance narrow = await fleet.JoinAsync();
        FleetInstance wide = await fleet.JoinAsync();
        await fleet.TickAsync();
        Assert.Equal(CircuitState.Open, narrow.Breaker.State);
        Assert.InRange(narrow.RetryAfter, TimeSpan.FromSeconds(50), TimeSpan.FromSeconds(60));
        Assert.Equal(CircuitState.Open, wide.Breaker.State);
        Assert.InRange(wide.RetryAfter, RetryAfter - TimeSpan.FromSeconds(20), RetryAfter);
        Assert.True(wide.RetryAfter > TestFleet.BreakDuration * 3);
    }

    [Fact]
    public async Task Jitter_is_drawn_once_by_the_instance_that_opens_the_fleet()
    {
        const int Instances = 3;
        static void Options(int index, CircuitBreakerOptions o)
        {
            o.MaxBreakDuration = TimeSpan.FromMinutes(10);
            o.BreakJitterRatio = 0.5;
            o.BreakJitterSeed = Seeds[index];
        }

        // What each instance's breaker would draw on its own: far enough apart that the fleet's breaks can only be one draw.
        TimeSpan[] ownDraws = Enumerable.Range(0, Instances).Select(static index => FirstDraw(o => Options(index, o))).ToArray();
        Assert.All(
            ownDraws.SelectMany((a, i) => ownDraws.Skip(i + 1).Select(b => (a - b).Duration())),
            static gap => Assert.True(gap > TimeSpan.FromSeconds(6), $"the seeds draw breaks only {gap} apart"));

        await using Dependency dependency = await Dependency.StartAsync();
        await using TestFleet fleet = await TestFleet.StartAsync(Instances, dependency, redis, static (_, o) => o.SigningKey = TestFleet.SigningKey, clockOffset: null, breakerOptions: Options);
        foreach (FleetInstance instance in fleet.Instances)
        {
            for (int i = 0; i < 4; i++)
            {
                instance.Breaker.TryAcquire().RecordFailure(null, FailureKind.HttpError);
            }
        }

        await TickUntilAllOpenAsync(fleet);

        TimeSpan[] breaks = fleet.Instances.Select(static i => i.RetryAfter).ToArray();
        Assert.True(breaks.Max() - breaks.Min() <= TimeSpan.FromSeconds(3), "breaks: " + string.Join(", ", breaks));
        Assert.Contains(ownDraws, d => (d - breaks.Max()).Duration() <= TimeSpan.FromSeconds(3));
    }

    private static readonly int[] Seeds = [2, 12, 9];

    /// <summary>The break a lone breaker with these options (and the fleet's name) draws when it first opens.</summary>
    private static TimeSpan FirstDraw(Action<CircuitBreakerOptions> configure)
    {
        var options = new CircuitBreakerOptions();
        TestFleet.BreakerDefaults(options);
        configure(options);
        Assert.True(new CircuitBreaker(TestFleet.BreakerName, options, new FakeTimeProvider()).TryOpen(out TimeSpan drawn));
        return drawn;
    }

    private static async Task TickUntilAllOpenAsync(TestFleet fleet)
    {
        for (int tick = 0; fleet.Instances.Any(static i => i.Breaker.State != CircuitState.Open); tick++)
        {
            Assert.True(tick < 10, "the fleet did not open");
            await fleet.TickAsync();
        }

        Assert.All(fleet.Instances, static i => Assert.Equal(1, i.Breaker.GetMetrics().CircuitOpens));
    }
}
