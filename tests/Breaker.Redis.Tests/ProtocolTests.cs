using Breaker.Fleet;
using Breaker.Protocol;

namespace Breaker.Redis.Tests;

/// <summary>The fleet's opening rule and the wire formats, without Redis.</summary>
public sealed class ProtocolTests
{
    private static readonly CircuitBreakerOptions Options = new() { FailureRatio = 0.5, SlowCallRatio = 0.5, MinimumThroughput = 10 };

    [Fact]
    public void One_instance_failing_alone_never_opens_the_fleet_however_many_calls_it_fails()
    {
        FleetView view = default(FleetView)
            .Add(new InstanceCounts(0, 1000, 1000, 0, Crossed: true))
            .Add(new InstanceCounts(0, 2, 0, 0, Crossed: false));

        Assert.True(Options.IsRatioThresholdReached(view.Calls, view.Failures, view.SlowCalls));
        Assert.False(view.ShouldOpen(Options, minimumInstances: 2));
        Assert.True(view.ShouldOpen(Options, minimumInstances: 1));
    }

    [Fact]
    public void The_fleet_opens_on_the_sum_once_enough_instances_cross_and_the_fleet_reaches_the_minimum_throughput()
    {
        FleetView three = default(FleetView)
            .Add(new InstanceCounts(0, 3, 3, 0, true))
            .Add(new InstanceCounts(0, 3, 3, 0, true))
            .Add(new InstanceCounts(0, 3, 2, 0, true));
        FleetView four = three.Add(new InstanceCounts(0, 3, 1, 0, false));

        Assert.False(three.ShouldOpen(Options, 2)); // 9 calls: below MinimumThroughput
        Assert.True(four.ShouldOpen(Options, 2));   // 12 calls, 9 failed, 3 instances crossed
        Assert.False(four.ShouldOpen(Options, 4));
    }

    [Fact]
    public void Slow_calls_open_the_fleet_like_failures()
    {
        FleetView view = default(FleetView)
            .Add(new InstanceCounts(0, 6, 0, 4, true))
            .Add(new InstanceCounts(0, 6, 0, 3, true));

        Assert.True(view.ShouldOpen(Options, 2));
    }

    [Fact]
    public void An_instance_judges_its_own_window_by_its_breakers_thresholds()
    {
        var metrics = new CircuitBreakerMetrics { Name = "quotes", WindowCalls = 4, WindowFailures = 2, WindowSlowCalls = 0 };
        Assert.True(InstanceCounts.From(metrics, Options, epoch: 7).Crossed);
        Assert.Equal(7, InstanceCounts.From(metrics, Options, epoch: 7).Epoch);
        Assert.False(InstanceCounts.From(metrics with { WindowFailures = 1 }, Options, 0).Crossed);
        Assert.False(InstanceCounts.From(metrics with { WindowCalls = 0, WindowFailures = 0 }, Options, 0).Crossed);
    }

    [Theory]
    [InlineData("3:120:61:4:1")]
    [InlineData("0:0:0:0:0")]
    public void Counts_survive_the_round_trip_through_Redis(string text)
    {
        Assert.True(InstanceCounts.TryParse(text, out InstanceCounts counts));
        Assert.Equal(text, counts.Format());
    }

    [Theory]
    [InlineData("")]
    [InlineData("1:2:3:4")]
    [InlineData("1:2:3:4:5:6")]
    [InlineData("1:x:3:4:5")]
    public void Malformed_counts_are_left_out(string text) => Assert.False(InstanceCounts.TryParse(text, out _));

    [Fact]
    public void Announcements_carry_any_breaker_name()
    {
        var message = new FleetMessage(FleetMessageKind.Opened, 1_700_000_000_123, "web-1", "quotes|eu:west");
        Assert.True(FleetMessage.TryParse(message.Format(), out FleetMessage parsed));
        Assert.Equal(message, parsed);
        Assert.False(FleetMessage.TryParse("reopen|1|a|b", out _));
        Assert.False(FleetMessage.TryParse("open|x|a|b", out _));
        Assert.False(FleetMessage.TryParse(null, out _));
    }

    [Fact]
    public void Keys_live_under_the_applications_prefix_with_the_breaker_as_hash_tag()
    {
        var keys = new FleetKeys("checkout", "quotes", "web-1");
        Assert.Equal("checkout:breaker:{quotes}:open", (string?)keys.Open);
        Assert.Equal("checkout:breaker:{quotes}:counts:web-1", (string?)keys.OwnCounts);
        Assert.Equal("checkout:breaker:{quotes}:counts:web-2", (string?)keys.CountsOf("web-2"));
    }
}
