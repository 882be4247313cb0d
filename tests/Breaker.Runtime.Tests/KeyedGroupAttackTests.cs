using System;
using System.Collections.Generic;
using System.Linq;
using Breaker.Telemetry;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Runtime.Tests;

/// <summary>
/// Keyed groups where they meet calls in flight, collectors, plain breakers and whoever controls the keys (issue 26,
/// findings 3, 4, 7, 8 and 9): each test is a reproduction that failed before the fix.
/// </summary>
public sealed class KeyedGroupAttackTests
{
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(1);

    private readonly FakeTimeProvider _time = new();
    private readonly CircuitBreakerRegistry _registry;

    public KeyedGroupAttackTests() => _registry = new CircuitBreakerRegistry(_time);

    [Fact]
    public void A_key_evicted_after_a_collector_listed_it_is_counted_once()
    {
        CircuitBreakerKeys<string> tenants = Tenants(maxKeys: 1);
        tenants.GetBreaker("a").Succeed(3);
        List<CircuitBreaker> listed = [.. tenants.Group.GetBreakers()];
        _time.Advance(Idle);
        tenants.GetBreaker("b"); // evicts a, whose 3 calls now count among the evicted keys'

        CallCounts counts = tenants.Group.CallTotals.Read(listed);

        Assert.Equal(1, tenants.Group.Evictions);
        Assert.Equal(3, counts.Successes);
    }

    [Fact]
    public void A_key_with_a_call_in_flight_is_not_idle_and_its_late_failure_still_protects_the_key()
    {
        CircuitBreakerKeys<string> tenants = Tenants(maxKeys: 1);
        CircuitBreaker slow = tenants.GetBreaker("slow");
        CircuitPermit hung = slow.TryAcquire();
        _time.Advance(TimeSpan.FromMinutes(6));

        CircuitBreaker other = tenants.GetBreaker("other");
        hung.RecordFailure(new TimeoutException());

        Assert.Same(tenants.Group.SharedBreaker, other);
        Assert.Equal(0, tenants.Group.Evictions);
        Assert.Same(slow, tenants.GetBreaker("slow"));
        Assert.Equal(CircuitState.Open, slow.State);
        Assert.False(tenants.GetBreaker("slow").TryAcquire().IsGranted);

        // Once the call is over and its break too, the key is idle like any.
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.NotSame(tenants.Group.SharedBreaker, tenants.GetBreaker("third"));
        Assert.False(tenants.TryGetBreaker("slow", out _));
    }

    [Fact]
    public void A_group_scans_for_idle_keys_at_most_once_a_second_however_the_keys_turn_idle()
    {
        CircuitBreakerKeys<string> tenants = Tenants(maxKeys: 2);
        tenants.GetBreaker("a");
        _time.Advance(TimeSpan.FromMilliseconds(300));
        tenants.GetBreaker("b");
        _time.Advance(Idle - TimeSpan.FromMilliseconds(300));

        Assert.NotSame(tenants.Group.SharedBreaker, tenants.GetBreaker("c")); // a scan: a is idle, b not yet
        _time.Advance(TimeSpan.FromMilliseconds(300));
        CircuitBreaker d = tenants.GetBreaker("d"); // b just turned idle, but the last scan was 300 ms ago
        _time.Advance(TimeSpan.FromMilliseconds(700));
        CircuitBreaker e = tenants.GetBreaker("e"); // a second after the last scan: the next one

        Assert.Same(tenants.Group.SharedBreaker, d);
        Assert.NotSame(tenants.Group.SharedBreaker, e);
        Assert.Equal(2, tenants.Group.Evictions);
    }

    [Fact]
    public void After_a_scan_that_made_room_the_next_full_group_waits_for_the_next_second()
    {
        CircuitBreakerKeys<string> tenants = Tenants(maxKeys: 2);
        tenants.GetBreaker("a");
        tenants.GetBreaker("b");
        _time.Advance(Idle);
        tenants.GetBreaker("c"); // evicts a and b
        tenants.GetBreaker("d");
        _time.Advance(Idle);

        CircuitBreaker e = tenants.GetBreaker("e"); // a scan evicts c and d
        tenants.GetBreaker("f");
        _time.Advance(Idle);
        tenants.GetBreaker("f"); // f stays in use
        CircuitBreaker g = tenants.GetBreaker("g"); // a scan evicts e
        CircuitBreaker h = tenants.GetBreaker("h"); // full again in the same second: shares, no scan

        Assert.NotSame(tenants.Group.SharedBreaker, e);
        Assert.NotSame(tenants.Group.SharedBreaker, g);
        Assert.Same(tenants.Group.SharedBreaker, h);
        Assert.Equal(5, tenants.Group.Evictions);
    }

    [Fact]
    public void Hostile_keys_asking_for_long_breaks_cannot_shut_out_keys_never_seen_before()
    {
        // 503s with Retry-After: 1800 from every host an attacker controls, the group's shared breaker included.
        var requested = TimeSpan.FromSeconds(1800);
        CircuitBreakerKeys<string> hosts = Tenants(maxKeys: 3, idle: TimeSpan.FromMinutes(5));
        foreach (string host in new[] { "evil-1", "evil-2", "evil-3", "evil-4" })
        {
            hosts.GetBreaker(host).TryAcquire().RecordFailure(null, FailureKind.HttpError, requested);
        }

        Assert.Equal(CircuitState.Open, hosts.Group.SharedBreaker!.State);
        Assert.All(hosts.Group.GetBreakers(), static b => Assert.Equal(CircuitState.Open, b.State));

        // The shared breaker serves many hosts: one host's Retry-After does not hold it past its own break.
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(CircuitState.HalfOpen, hosts.Group.SharedBreaker.State);

        // Six minutes on, every hostile break is over (a Retry-After is held to MaxRetryAfter) and their keys idle.
        _time.Advance(TimeSpan.FromMinutes(6) - TimeSpan.FromSeconds(30));
        CircuitBreaker victim = hosts.GetBreaker("victim");

        Assert.NotSame(hosts.Group.SharedBreaker, victim);
        Assert.True(victim.TryAcquire().IsGranted);
    }

    [Fact]
    public void A_plain_breaker_cannot_take_the_name_of_a_keys_breaker()
    {
        CircuitBreakerKeys<string> billing = Tenants(maxKeys: 1, name: "billing");
        CircuitBreaker admin = billing.GetBreaker("admin");

        ArgumentException taken = Assert.Throws<ArgumentException>(() => _registry.GetOrAdd("billing:admin"));
        Assert.Throws<ArgumentException>(() => _registry.GetOrAdd("billing:other"));

        Assert.Contains("keyed group 'billing'", taken.Message, StringComparison.Ordinal);
        Assert.True(_registry.TryGet("billing:admin", out CircuitBreaker? found));
        Assert.Same(admin, found);
        Assert.Equal([admin], _registry.ToArray());
    }

    [Fact]
    public void A_plain_breaker_made_before_its_group_keeps_its_name_and_the_key_gets_another()
    {
        CircuitBreaker plain = _registry.GetOrAdd("billing:admin");
        CircuitBreakerKeys<string> billing = Tenants(maxKeys: 1, name: "billing");

        CircuitBreaker admin = billing.GetBreaker("admin");
        _time.Advance(Idle);
        billing.GetBreaker("next"); // evicts admin

        Assert.NotSame(plain, admin);
        Assert.Same(plain, _registry.GetOrAdd("billing:admin"));
        Assert.True(_registry.TryGet("billing:admin", out CircuitBreaker? found));
        Assert.Same(plain, found);
    }

    private CircuitBreakerKeys<string> Tenants(int maxKeys, TimeSpan? idle = null, string name = "tenants") =>
        _registry.GetOrAddGroup<string>(name, o =>
        {
            o.MaxKeys = maxKeys;
            o.KeyIdleTimeout = idle ?? Idle;
            o.ConsecutiveFailureThreshold = 1;
            o.BreakDuration = TimeSpan.FromSeconds(30);
        });
}
