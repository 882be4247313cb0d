using System;
using System.Linq;
using System.Threading.Tasks;
using Breaker.Redis.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace Breaker.Redis.Tests;

/// <summary>Which breakers take part: keyed breakers (one per host...) only when listed, and never more than the cap.</summary>
[Collection(RedisCollection.Name)]
public sealed class ParticipationTests(RedisServer redis)
{
    [Fact]
    public async Task Keyed_breakers_stay_local_unless_their_group_or_name_is_listed()
    {
        string prefix = "keyed-" + Guid.NewGuid().ToString("N")[..8];
        var registry = new CircuitBreakerRegistry(new FakeTimeProvider());
        await using ConnectionMultiplexer connection = await TestFleet.ConnectAsync(redis);
        await using var coordinator = new RedisFleetCoordinator(registry, connection, new RedisCoordinationOptions { KeyPrefix = prefix, InstanceId = "web-1" });
        coordinator.Start();

        CircuitBreaker plain = registry.GetOrAdd("quotes");
        CircuitBreaker[] hosts = Enumerable.Range(0, 500).Select(i => registry.GetOrAddGroup<string>("api").GetBreaker($"host-{i}.example.com")).ToArray();

        Assert.NotNull(plain.Coordinator);
        Assert.All(hosts, static h => Assert.Null(h.Coordinator));
        Assert.Equal(1, coordinator.Participants);

        // Listed by group (all of them) or by name (one of them), they take part.
        var listed = new CircuitBreakerRegistry(new FakeTimeProvider());
        var options = new RedisCoordinationOptions { KeyPrefix = prefix, InstanceId = "web-2", Breakers = { "payments", "api:host-7.example.com" } };
        await using var second = new RedisFleetCoordinator(listed, connection, options);
        second.Start();
        Assert.NotNull(listed.GetOrAddGroup<string>("payments").GetBreaker("tenant-1").Coordinator);
        Assert.NotNull(listed.GetOrAddGroup<string>("api").GetBreaker("host-7.example.com").Coordinator);
        Assert.Null(listed.GetOrAddGroup<string>("api").GetBreaker("host-8.example.com").Coordinator);
        Assert.Null(listed.GetOrAdd("quotes").Coordinator);
    }

    [Fact]
    public async Task A_listed_groups_evicted_keys_leave_the_fleet_so_participants_stay_as_bounded_as_the_group()
    {
        var time = new FakeTimeProvider();
        var registry = new CircuitBreakerRegistry(time);
        await using ConnectionMultiplexer connection = await TestFleet.ConnectAsync(redis);
        var options = new RedisCoordinationOptions { KeyPrefix = "evicted-" + Guid.NewGuid().ToString("N")[..8], Breakers = { "tenants" } };
        await using var coordinator = new RedisFleetCoordinator(registry, connection, options);
        coordinator.Start();
        CircuitBreakerKeys<int> tenants = registry.GetOrAddGroup<int>("tenants", static o => { o.MaxKeys = 3; o.KeyIdleTimeout = TimeSpan.FromSeconds(1); });
        CircuitBreaker[] first = Enumerable.Range(0, 3).Select(tenants.GetBreaker).ToArray();
        Assert.All(first, static b => Assert.NotNull(b.Coordinator));

        for (int round = 1; round <= 20; round++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            tenants.GetBreaker(round * 10);
        }

        Assert.All(first, static b => Assert.Null(b.Coordinator));
        Assert.InRange(coordinator.Participants, 1, 3);
        Assert.Equal(tenants.Group.Count, coordinator.Participants);
    }

    [Fact]
    public async Task Past_MaxBreakers_breakers_stay_local_and_the_log_says_so_once()
    {
        var log = new ListLogger();
        var registry = new CircuitBreakerRegistry(new FakeTimeProvider());
        await using ConnectionMultiplexer connection = await TestFleet.ConnectAsync(redis);
        var options = new RedisCoordinationOptions { KeyPrefix = "cap-" + Guid.NewGuid().ToString("N")[..8], MaxBreakers = 5, SigningKey = TestFleet.SigningKey };
        await using var coordinator = new RedisFleetCoordinator(registry, connection, options, log);
        coordinator.Start();

        CircuitBreaker[] breakers = Enumerable.Range(0, 20).Select(i => registry.GetOrAdd($"breaker-{i:00}")).ToArray();

        Assert.Equal(5, breakers.Count(static b => b.Coordinator is not null));
        Assert.Equal((5, 15), (coordinator.Participants, coordinator.LeftOut));
        string warning = Assert.Single(log.Lines, static l => l.StartsWith("Warning:", StringComparison.Ordinal));
        Assert.Contains("breaker-05 stays local", warning, StringComparison.Ordinal);
        Assert.Contains("RedisCoordinationOptions.MaxBreakers", warning, StringComparison.Ordinal);
        Assert.Equal(14, log.Lines.Count(static l => l.StartsWith("Debug:", StringComparison.Ordinal) && l.Contains("stays local", StringComparison.Ordinal)));
    }
}
