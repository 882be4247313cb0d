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
    public void A_call_that_looked_its_key_up_before_an_eviction_is_admitted_by_the_breaker_the_key_has_now()
    {
        CircuitBreakerKeys<string> tenants = Tenants(maxKeys: 1);
        CircuitBreaker looked = tenants.GetBreaker("slow");
        _time.Advance(Idle); // a long wait between the lookup and the call
        tenants.GetBreaker("other"); // evicts slow: idle, no call in flight

        CircuitPermit late = looked.TryAcquire();
        Assert.True(late.IsGranted);
        late.RecordFailure(new TimeoutException());

        // The failure protects the key's next call (the group is full: its breaker is the shared one, which it opened);
        // before, it opened the evicted breaker nobody holds, and the key's next call reached the dependency.
        Assert.Equal(1, tenants.Group.Evictions);
        Assert.Same(tenants.Group.SharedBreaker, tenants.GetBreaker("slow"));
        Assert.False(tenants.GetBreaker("slow").TryAcquire().IsGranted);
        Assert.Equal(0, looked.GetMetrics().TotalCalls);
    }

    [Fact]
    public void A_call_that_looked_up_a_key_held_open_by_a_Retry_After_goes_to_the_keys_new_breaker_once_evicted()
    {
        CircuitBreakerKeys<string> hosts = Tenants(maxKeys: 2, idle: TimeSpan.FromMinutes(5));
        hosts.GetBreaker("asked").TryAcquire().RecordFailure(null, FailureKind.HttpError, TimeSpan.FromMinutes(2));
        hosts.GetBreaker("busy").Succeed();
        _time.Advance(TimeSpan.FromSeconds(30));
        CircuitBreaker looked = hosts.GetBreaker("asked"); // open: only its Retry-After holds it now
        hosts.GetBreaker("busy");

        hosts.GetBreaker("new"); // full: evicts asked
        CircuitPermit late = looked.TryAcquire();

        // The key has no breaker and the group is full again: the call is the shared breaker's, never the evicted one's.
        Assert.True(late.IsGranted);
        late.RecordSuccess();
        Assert.Equal(1, hosts.Group.SharedBreaker!.GetMetrics().SuccessfulCalls);
        Assert.Equal(CircuitState.Open, looked.State);
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
    public void Hostile_keys_that_keep_calling_cannot_hold_the_group_past_the_configured_break()
    {
        // PerHost-style: the attacker's hosts answer 503 with Retry-After: 1800, and the attacker makes the process call
        // each of them every ten seconds, so they are never idle; one more hostile host than the group holds keeps the
        // shared breaker failing too. A host never seen before, healthy, asks every ten seconds after the attackers.
        var requested = TimeSpan.FromSeconds(1800);
        CircuitBreakerKeys<string> hosts = Tenants(maxKeys: 3, idle: TimeSpan.FromMinutes(5));
        string[] hostile = ["evil-1", "evil-2", "evil-3", "evil-4"];
        TimeSpan? firstServed = null;
        int rejectedAfterServed = 0;
        for (TimeSpan elapsed = TimeSpan.Zero; elapsed <= TimeSpan.FromMinutes(30); elapsed += TimeSpan.FromSeconds(10))
        {
            foreach (string host in hostile)
            {
                CircuitPermit attack = hosts.GetBreaker(host).TryAcquire();
                if (attack.IsGranted)
                {
                    attack.RecordFailure(null, FailureKind.HttpError, requested);
                }
            }

            CircuitPermit victim = hosts.GetBreaker("victim").TryAcquire();
            if (victim.IsGranted)
            {
                victim.RecordSuccess();
                firstServed ??= elapsed;
            }
            else if (firstServed is not null)
            {
                rejectedAfterServed++;
            }

            _time.Advance(TimeSpan.FromSeconds(10));
        }

        // The hostile breakers' own break (30 s) is over at 30 s; past it only their Retry-After holds them open, and a
        // full group evicts them for the new host. Before, the victim was shut out for the whole 30 minutes.
        Assert.Equal(TimeSpan.FromSeconds(30), firstServed);
        Assert.Equal(0, rejectedAfterServed);
        Assert.True(hosts.TryGetBreaker("victim", out CircuitBreaker? served));
        Assert.Equal(CircuitState.Closed, served.State);
    }

    [Fact]
    public void A_breaker_held_open_only_by_a_Retry_After_stays_while_its_group_has_room_and_its_own_break_runs()
    {
        CircuitBreakerKeys<string> hosts = Tenants(maxKeys: 2, idle: TimeSpan.FromMinutes(5));
        hosts.GetBreaker("slow-down").TryAcquire().RecordFailure(null, FailureKind.HttpError, TimeSpan.FromMinutes(2));
        CircuitBreaker asked = hosts.GetBreaker("slow-down");

        // Room in the group: nothing is evicted, and the Retry-After is honored whole.
        _time.Advance(TimeSpan.FromSeconds(20));
        hosts.GetBreaker("second");
        _time.Advance(TimeSpan.FromSeconds(20)); // 40 s: own break over, Retry-After not
        Assert.Equal(CircuitState.Open, asked.State);
        Assert.Same(asked, hosts.GetBreaker("slow-down"));

        // Full: the next new key evicts the breaker its Retry-After alone holds, never the one in use.
        CircuitBreaker third = hosts.GetBreaker("third");

        Assert.NotSame(hosts.Group.SharedBreaker, third);
        Assert.False(hosts.TryGetBreaker("slow-down", out _));
        Assert.True(hosts.TryGetBreaker("second", out _));
        Assert.Equal(1, hosts.Group.Evictions);
    }

    [Fact]
    public void A_breaker_whose_own_break_runs_is_not_evicted_for_a_Retry_After()
    {
        CircuitBreakerKeys<string> hosts = Tenants(maxKeys: 1, idle: TimeSpan.FromSeconds(10));
        hosts.GetBreaker("down").TryAcquire().RecordFailure(null, FailureKind.HttpError, TimeSpan.FromMinutes(2));
        _time.Advance(TimeSpan.FromSeconds(29)); // idle, and 1 s of its own 30 s break left

        CircuitBreaker shared = hosts.GetBreaker("new");
        Assert.Same(hosts.Group.SharedBreaker, shared);
        Assert.True(hosts.TryGetBreaker("down", out CircuitBreaker? down));
        Assert.Equal(CircuitState.Open, down.State);

        // A break started by hand is the breaker's own: past the first one, it still holds the key.
        _time.Advance(TimeSpan.FromSeconds(2));
        down.StartBreak();
        Assert.Same(hosts.Group.SharedBreaker, hosts.GetBreaker("newer"));
        Assert.True(hosts.TryGetBreaker("down", out _));
    }

    [Fact]
    public void A_break_the_hook_chose_is_the_breakers_own_and_holds_its_key_in_a_full_group()
    {
        CircuitBreakerKeys<string> hosts = _registry.GetOrAddGroup<string>("hooked", static o =>
        {
            o.MaxKeys = 1;
            o.KeyIdleTimeout = TimeSpan.FromSeconds(10);
            o.ConsecutiveFailureThreshold = 1;
            o.BreakDuration = TimeSpan.FromSeconds(30);
            o.BreakDurationHook = static c => c.RequestedBreak is null ? null : TimeSpan.FromMinutes(2);
        });
        hosts.GetBreaker("down").TryAcquire().RecordFailure(null, FailureKind.HttpError, TimeSpan.FromMinutes(5));
        _time.Advance(TimeSpan.FromMinutes(1)); // idle, past the configured break, inside the hook's

        CircuitBreaker shared = hosts.GetBreaker("new");

        Assert.Same(hosts.Group.SharedBreaker, shared);
        Assert.True(hosts.TryGetBreaker("down", out CircuitBreaker? down));
        Assert.Equal(CircuitState.Open, down.State);
        Assert.Equal(0, hosts.Group.Evictions);
    }

    [Fact]
    public void One_Retry_After_among_ordinary_failures_is_held_to_MaxRetryAfter_and_later_breaks_use_the_configured_one()
    {
        CircuitBreaker host = _registry.GetOrAdd("partner", static o =>
        {
            o.ConsecutiveFailureThreshold = 3;
            o.BreakDuration = TimeSpan.FromSeconds(30);
            o.SuccessThreshold = 1;
        });

        // One 503 asking for 1,800 s, then two ordinary 500s: the circuit opens for MaxRetryAfter (5 minutes), not 1,800 s.
        host.TryAcquire().RecordFailure(null, FailureKind.HttpError, TimeSpan.FromSeconds(1800));
        host.TryAcquire().RecordFailure(null, FailureKind.HttpError);
        host.TryAcquire().RecordFailure(null, FailureKind.HttpError);
        Assert.Equal(TimeSpan.FromMinutes(5), host.GetMetrics().RetryAfter);
        _time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromTicks(1));
        Assert.Equal(CircuitState.Open, host.State);
        _time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(CircuitState.HalfOpen, host.State);

        // A probe that fails with an ordinary 500: the configured 30 s, the request being over.
        host.TryAcquire().RecordFailure(null, FailureKind.HttpError);
        Assert.Equal(TimeSpan.FromSeconds(30), host.GetMetrics().RetryAfter);
        _time.Advance(TimeSpan.FromSeconds(30));
        host.Succeed();
        Assert.Equal(CircuitState.Closed, host.State);

        // Closed and open again by ordinary 500s only: 30 s.
        host.TryAcquire().RecordFailure(null, FailureKind.HttpError);
        host.TryAcquire().RecordFailure(null, FailureKind.HttpError);
        host.TryAcquire().RecordFailure(null, FailureKind.HttpError);
        Assert.Equal(TimeSpan.FromSeconds(30), host.GetMetrics().RetryAfter);
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
