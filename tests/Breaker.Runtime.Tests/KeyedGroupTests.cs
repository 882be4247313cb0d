using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Runtime.Tests;

/// <summary>Keyed groups: one breaker per key, bounded, with eviction that never lifts a break early.</summary>
public sealed class KeyedGroupTests
{
    private static readonly TimeSpan Break = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(1);

    private readonly FakeTimeProvider _time = new();
    private readonly CircuitBreakerRegistry _registry;

    public KeyedGroupTests() => _registry = new CircuitBreakerRegistry(_time);

    [Fact]
    public void Each_key_gets_its_own_breaker_named_after_the_group_with_the_groups_options()
    {
        var added = new List<string>();
        _registry.BreakerAdded += (_, b) => added.Add(b.Name);
        CircuitBreakerKeys<string> tenants = Tenants(maxKeys: 10);

        CircuitBreaker acme = tenants.GetBreaker("acme");
        CircuitBreaker globex = tenants.GetBreaker("globex");

        Assert.Same(acme, tenants.GetBreaker("acme"));
        Assert.NotSame(acme, globex);
        Assert.Equal(("tenants:acme", "tenants"), (acme.Name, acme.Group));
        Assert.Equal(2, acme.Options.MinimumThroughput);
        Assert.True(_registry.TryGet("tenants:globex", out CircuitBreaker? found));
        Assert.Same(globex, found);
        Assert.Equal(["tenants:acme", "tenants:globex"], added);
        Assert.Equal(2, tenants.Group.Count);
        Assert.Same(tenants.Group, Assert.Single(_registry.Groups));
    }

    [Fact]
    public void A_failing_key_opens_only_its_own_breaker()
    {
        CircuitBreakerKeys<string> tenants = Tenants(maxKeys: 10);

        tenants.GetBreaker("acme").Fail(2);
        tenants.GetBreaker("globex").Succeed(2);

        Assert.Equal(CircuitState.Open, tenants.GetBreaker("acme").State);
        Assert.False(tenants.GetBreaker("acme").TryAcquire().IsGranted);
        Assert.True(tenants.GetBreaker("globex").TryAcquire().IsGranted);
    }

    [Fact]
    public void A_full_group_sends_new_keys_to_its_shared_breaker_and_keeps_the_keys_in_use()
    {
        CircuitBreakerKeys<string> tenants = Tenants(maxKeys: 3);
        CircuitBreaker[] first = new[] { "a", "b", "c" }.Select(tenants.GetBreaker).ToArray();

        CircuitBreaker fourth = tenants.GetBreaker("d");
        CircuitBreaker fifth = tenants.GetBreaker("e");

        Assert.Same(fourth, fifth);
        Assert.Same(tenants.Group.SharedBreaker, fourth);
        Assert.Equal(("tenants:*", "tenants"), (fourth.Name, fourth.Group));
        Assert.Equal(3, tenants.Group.Count);
        Assert.Equal(2, tenants.Group.SharedCalls);
        Assert.Equal(first, new[] { "a", "b", "c" }.Select(tenants.GetBreaker));
        Assert.False(tenants.TryGetBreaker("d", out _));
    }

    [Fact]
    public void A_null_key_uses_the_shared_breaker()
    {
        CircuitBreakerKeys<string> tenants = Tenants(maxKeys: 3);

        CircuitBreaker none = tenants.GetBreaker(null);

        Assert.Same(tenants.Group.SharedBreaker, none);
        Assert.Equal(0, tenants.Group.Count);
    }

    [Fact]
    public void Keys_unused_for_the_idle_timeout_make_room_and_leave_the_registry()
    {
        var removed = new List<string>();
        _registry.BreakerRemoved += (_, b) => removed.Add(b.Name);
        CircuitBreakerKeys<string> tenants = Tenants(maxKeys: 2);
        CircuitBreaker idle = tenants.GetBreaker("idle");
        CircuitBreaker busy = tenants.GetBreaker("busy");
        _time.Advance(Idle / 2);
        tenants.GetBreaker("busy");
        _time.Advance(Idle / 2);

        CircuitBreaker fresh = tenants.GetBreaker("fresh");

        Assert.NotSame(tenants.Group.SharedBreaker, fresh);
        Assert.Equal(["tenants:idle"], removed);
        Assert.False(_registry.TryGet("tenants:idle", out _));
        Assert.Same(busy, tenants.GetBreaker("busy"));
        Assert.Equal(2, tenants.Group.Count);
        Assert.Equal(1, tenants.Group.Evictions);
        Assert.False(tenants.TryGetBreaker("idle", out _));
        Assert.Equal(2, _registry.Count); // busy and fresh: the evicted breaker is gone
        Assert.DoesNotContain(idle, _registry);
    }

    [Fact]
    public void An_open_breaker_is_never_evicted_before_its_break_is_over_however_long_it_went_unused()
    {
        // The idle timeout is shorter than the break: only the break keeps the open breaker.
        CircuitBreakerKeys<string> tenants = Tenants(maxKeys: 2, idle: TimeSpan.FromSeconds(1));
        CircuitBreaker victim = tenants.GetBreaker("victim");
        victim.Fail(2);
        Assert.Equal(CircuitState.Open, victim.State);
        tenants.GetBreaker("other");

        for (int i = 0; i < 29; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            tenants.GetBreaker("attacker-" + i);
            Assert.True(tenants.TryGetBreaker("victim", out CircuitBreaker? kept), $"evicted {i + 1} s into its break");
            Assert.Same(victim, kept);
        }

        _time.Advance(TimeSpan.FromSeconds(1)); // the break is over (and the key idle): now it may go
        tenants.GetBreaker("late");

        Assert.False(tenants.TryGetBreaker("victim", out _));
    }

    [Fact]
    public void Breakers_held_by_hand_are_never_evicted()
    {
        CircuitBreakerKeys<string> tenants = Tenants(maxKeys: 2);
        tenants.GetBreaker("isolated").Isolate();
        tenants.GetBreaker("measured").SetMetricsOnly(true);
        _time.Advance(Idle * 10);

        CircuitBreaker newcomer = tenants.GetBreaker("newcomer");

        Assert.Same(tenants.Group.SharedBreaker, newcomer);
        Assert.True(tenants.TryGetBreaker("isolated", out _));
        Assert.True(tenants.TryGetBreaker("measured", out _));

        // Reset by an operator, the key may go once idle (the next scan notices within a second).
        Assert.True(tenants.TryGetBreaker("isolated", out CircuitBreaker? isolated));
        isolated.Reset();
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.NotSame(tenants.Group.SharedBreaker, tenants.GetBreaker("newcomer"));
        Assert.False(tenants.TryGetBreaker("isolated", out _));
    }

    [Fact]
    public void A_group_full_of_open_breakers_shares_one_breaker_among_new_keys_until_a_break_ends()
    {
        CircuitBreakerKeys<string> tenants = Tenants(maxKeys: 3, idle: TimeSpan.FromSeconds(1));
        foreach (string key in new[] { "a", "b", "c" })
        {
            tenants.GetBreaker(key).Fail(2);
        }

        _time.Advance(TimeSpan.FromSeconds(10));

        // New keys share the group's shared breaker: their failures open it, and it then rejects them all.
        CircuitBreaker shared = tenants.GetBreaker("d");
        Assert.Same(shared, tenants.GetBreaker("e"));
        shared.Fail(2);
        Assert.False(tenants.GetBreaker("f").TryAcquire().IsGranted);
        Assert.Equal(3, tenants.Group.Count);
        Assert.All(["a", "b", "c"], k => Assert.Equal(CircuitState.Open, tenants.GetBreaker(k).State));

        _time.Advance(Break); // every break is over: the idle keys make room
        CircuitBreaker g = tenants.GetBreaker("g");

        Assert.NotSame(shared, g);
        Assert.Equal(CircuitState.Closed, g.State);
    }

    [Fact]
    public void TryGetBreaker_is_a_read_it_neither_creates_nor_keeps_a_key_alive()
    {
        CircuitBreakerKeys<string> tenants = Tenants(maxKeys: 1);
        tenants.GetBreaker("watched");
        _time.Advance(Idle / 2);
        Assert.True(tenants.TryGetBreaker("watched", out _));
        Assert.False(tenants.TryGetBreaker("never", out _));
        _time.Advance(Idle / 2);

        tenants.GetBreaker("next");

        Assert.False(tenants.TryGetBreaker("watched", out _));
        Assert.Equal(1, tenants.Group.Count);
    }

    [Fact]
    public void Configuring_the_group_by_name_reconfigures_every_live_key_and_the_keys_to_come()
    {
        CircuitBreakerKeys<string> tenants = Tenants(maxKeys: 10);
        CircuitBreaker acme = tenants.GetBreaker("acme");
        acme.Fail(2);
        CircuitBreaker shared = tenants.GetBreaker(null);

        _registry.Configure("tenants", o => { o.BreakDuration = TimeSpan.FromSeconds(5); o.MaxKeys = 20; });
        CircuitBreaker later = tenants.GetBreaker("later");

        Assert.Equal(TimeSpan.FromSeconds(5), acme.Options.BreakDuration);
        Assert.Equal(CircuitState.Open, acme.State); // reconfigured, state kept
        Assert.Equal(TimeSpan.FromSeconds(5), shared.Options.BreakDuration);
        Assert.Equal(TimeSpan.FromSeconds(5), later.Options.BreakDuration);
        Assert.Equal(2, later.Options.MinimumThroughput); // the code's values under the configuration
        Assert.Equal(20, tenants.Group.Options.MaxKeys);
    }

    [Fact]
    public void An_invalid_group_configuration_changes_nothing()
    {
        CircuitBreakerKeys<string> tenants = Tenants(maxKeys: 10);
        CircuitBreaker acme = tenants.GetBreaker("acme");

        Assert.Throws<ArgumentOutOfRangeException>(() => _registry.Configure("tenants", o => o.MaxKeys = 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => _registry.Configure("tenants", o => o.MinimumThroughput = 50));

        Assert.Equal(10, tenants.Group.Options.MaxKeys);
        Assert.Equal(2, acme.Options.MinimumThroughput);
    }

    [Fact]
    public void One_keys_breaker_can_be_configured_on_top_of_its_group()
    {
        _registry.Configure("tenants:vip", o => o.BreakDuration = TimeSpan.FromSeconds(2));
        CircuitBreakerKeys<string> tenants = Tenants(maxKeys: 10);

        CircuitBreaker vip = tenants.GetBreaker("vip");
        _registry.Configure("tenants", o => o.FailureRatio = 0.9);

        Assert.Equal(TimeSpan.FromSeconds(2), vip.Options.BreakDuration);
        Assert.Equal(0.9, vip.Options.FailureRatio);
        Assert.Equal(Break, tenants.GetBreaker("plain").Options.BreakDuration);
    }

    [Fact]
    public void Configuration_registered_before_the_group_exists_is_its_starting_point()
    {
        _registry.Configure("hosts", o => { o.MaxKeys = 2; o.ConsecutiveFailureThreshold = 1; });

        CircuitBreakerKeys<string> hosts = _registry.GetOrAddGroup<string>("hosts", o => o.ConsecutiveFailureThreshold = 5);
        hosts.GetBreaker("a");
        hosts.GetBreaker("b");
        CircuitBreaker third = hosts.GetBreaker("c");

        Assert.Equal(1, hosts.GetBreaker("a").Options.ConsecutiveFailureThreshold);
        Assert.Same(hosts.Group.SharedBreaker, third);
    }

    [Fact]
    public void A_declared_keyed_group_is_listed_before_its_first_call_and_judges_configuration_by_its_code()
    {
        _registry.Declare(new CircuitBreakerDeclaration("declared", new CircuitBreakerOptions { MinimumThroughput = 5, SlidingWindowSize = 5 })
        {
            DeclaringType = "Shop.Tenants",
            MethodName = "Get",
            KeyParameter = "tenantId",
        });

        CircuitBreakerGroup group = Assert.Single(_registry.Groups);
        _registry.Configure("declared", o => o.SlidingWindowSize = 8); // valid on top of the code's MinimumThroughput 5

        Assert.Equal(("declared", 0), (group.Name, group.Count));
        Assert.Equal(8, _registry.GetOrAddGroup<Guid>("declared").GetBreaker(Guid.NewGuid()).Options.SlidingWindowSize);
        Assert.DoesNotContain(_registry, static b => b.Name == "declared"); // a group, not a breaker of that name
        Assert.Throws<ArgumentOutOfRangeException>(() => _registry.Configure("declared", o => o.SlidingWindowSize = 4));
        Assert.Equal("declared by tenantId (Shop.Tenants.Get)", _registry.Declarations[0].ToString());
    }

    [Fact]
    public void Keys_of_different_types_share_the_groups_bound_and_options()
    {
        CircuitBreakerKeys<string> byName = Tenants(maxKeys: 2);
        CircuitBreakerKeys<int> byId = _registry.GetOrAddGroup<int>("tenants");

        CircuitBreaker one = byId.GetBreaker(1);
        CircuitBreaker text = byName.GetBreaker("1");
        CircuitBreaker overflow = byId.GetBreaker(2);

        Assert.NotSame(one, text);
        Assert.Equal("tenants:1", one.Name);
        Assert.StartsWith("tenants:1%#", text.Name, StringComparison.Ordinal); // the same text, another key: its own breaker
        Assert.Same(byId.Group, byName.Group);
        Assert.Same(byName.Group.SharedBreaker, overflow);
        Assert.Equal(2, byId.Group.Count);
        Assert.Equal(2, one.Options.MinimumThroughput);
    }

    [Fact]
    public void Value_type_keys_are_found_without_allocating()
    {
        CircuitBreakerKeys<Guid> byGuid = _registry.GetOrAddGroup<Guid>("guids");
        CircuitBreakerKeys<long> byId = _registry.GetOrAddGroup<long>("ids");
        CircuitBreakerKeys<Region> byRegion = _registry.GetOrAddGroup<Region>("regions");
        CircuitBreakerKeys<string> byName = _registry.GetOrAddGroup<string>("names");
        var guid = Guid.NewGuid();
        string name = new('n', 40);
        byGuid.GetBreaker(guid);
        byId.GetBreaker(42L);
        byRegion.GetBreaker(Region.Europe);
        byName.GetBreaker(name);
        LookUp(); // once, so that nothing first-time is measured

        long before = GC.GetAllocatedBytesForCurrentThread();
        LookUp();

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal("regions:Europe", byRegion.GetBreaker(Region.Europe).Name);

        void LookUp()
        {
            for (int i = 0; i < 1_000; i++)
            {
                byGuid.GetBreaker(guid);
                byId.GetBreaker(42L);
                byRegion.GetBreaker(Region.Europe);
                byName.GetBreaker(name);
            }
        }
    }

    [Fact]
    public void Keys_whose_hash_codes_all_collide_still_get_a_breaker_each_and_stay_bounded()
    {
        CircuitBreakerKeys<Colliding> keys = _registry.GetOrAddGroup<Colliding>("colliding", o => { o.MaxKeys = 50; o.KeyIdleTimeout = Idle; });
        var breakers = new HashSet<CircuitBreaker>();
        for (int i = 0; i < 50; i++)
        {
            breakers.Add(keys.GetBreaker(new Colliding(i)));
        }

        Assert.Equal(50, breakers.Count);
        Assert.Same(keys.GetBreaker(new Colliding(7)), keys.GetBreaker(new Colliding(7)));
        CircuitBreaker overflow = keys.GetBreaker(new Colliding(50));
        Assert.Same(keys.Group.SharedBreaker, overflow);

        _time.Advance(Idle);
        for (int i = 100; i < 1_000; i++)
        {
            keys.GetBreaker(new Colliding(i));
        }

        Assert.True(keys.Group.Count <= 50);
        Assert.True(_registry.Count <= 51);
    }

    [Fact]
    public void Hostile_key_text_never_reaches_a_name_unescaped_and_names_stay_short()
    {
        CircuitBreakerKeys<string> keys = _registry.GetOrAddGroup<string>("hostile");
        string huge = new('x', 6_000);
        string hugeToo = new string('x', 5_999) + "y";
        string[] hostile =
        [
            huge, hugeToo, "line\nforged: entry", "tab\tand\u0000nul", "\u202Egnp.exe", "zero\u200Bwidth", "50%", "%41",
            "*", ":", "a:b", "\uD800lone", "\uDC00", "ok \uD83D\uDE00", "\u2028", "\uFEFFbom",
        ];

        CircuitBreaker[] breakers = hostile.Select(keys.GetBreaker).ToArray();

        Assert.Equal(hostile.Length, breakers.Distinct().Count());
        Assert.Equal(hostile.Length, breakers.Select(static b => b.Name).Distinct().Count());
        foreach (CircuitBreaker breaker in breakers)
        {
            string key = breaker.Name["hostile:".Length..];
            Assert.True(key.Length <= 128, $"{key.Length} characters");
            Assert.DoesNotContain(key, c => char.IsControl(c) || c is '\u202E' or '\u200B' or '\u2028' or '\uFEFF' or '*');
            Assert.False(key.Where((c, i) => char.IsHighSurrogate(c) ? i + 1 >= key.Length || !char.IsLowSurrogate(key[i + 1]) : char.IsLowSurrogate(c) && (i == 0 || !char.IsHighSurrogate(key[i - 1]))).Any(), key);
        }

        Assert.Equal("hostile:line%0Aforged: entry", breakers[2].Name);
        Assert.Equal("hostile:%u202Egnp.exe", breakers[4].Name);
        Assert.Equal("hostile:50%25", breakers[6].Name);
        Assert.Equal("hostile:%2541", breakers[7].Name);
        Assert.Equal("hostile:%2A", breakers[8].Name);
        Assert.Equal("hostile:a:b", breakers[10].Name);
        Assert.Equal("hostile:ok \uD83D\uDE00", breakers[13].Name);
        Assert.StartsWith("hostile:" + new string('x', 118) + "%…", breakers[0].Name, StringComparison.Ordinal);
        Assert.NotEqual(breakers[0].Name, breakers[1].Name);
        Assert.Same(breakers[0], keys.GetBreaker(new string('x', 6_000)));
    }

    [Fact]
    public void A_plain_breaker_holding_a_keys_name_does_not_take_that_keys_breaker()
    {
        CircuitBreaker plain = _registry.GetOrAdd("tenants:acme");
        CircuitBreakerKeys<string> tenants = Tenants(maxKeys: 10);

        CircuitBreaker acme = tenants.GetBreaker("acme");

        Assert.NotSame(plain, acme);
        Assert.StartsWith("tenants:acme%#", acme.Name, StringComparison.Ordinal);
        Assert.Null(plain.Group);
    }

    [Fact]
    public void A_key_whose_ToString_throws_still_gets_a_breaker()
    {
        CircuitBreakerKeys<Unprintable> keys = _registry.GetOrAddGroup<Unprintable>("unprintable");

        CircuitBreaker first = keys.GetBreaker(new Unprintable(1));
        CircuitBreaker second = keys.GetBreaker(new Unprintable(2));

        // The key has no text: the first is named after the group alone, the next made unique by the group.
        Assert.NotSame(first, second);
        Assert.Equal("unprintable:", first.Name);
        Assert.Equal("unprintable:%#1", second.Name);
    }

    [Fact]
    public void A_key_name_of_exactly_128_characters_is_kept_whole_and_one_character_more_is_cut_and_hashed()
    {
        CircuitBreakerKeys<string> keys = _registry.GetOrAddGroup<string>("bound");
        string escapedTo128 = "%" + new string('x', 125);   // "%25" and 125 characters: 128 once escaped
        string escapedTo130 = new string('x', 127) + "%";   // its last character escaped takes the name past 128
        string plain129 = new string('y', 129);

        Assert.Equal("bound:%25" + new string('x', 125), keys.GetBreaker(escapedTo128).Name);
        Assert.Equal("bound:" + new string('z', 128), keys.GetBreaker(new string('z', 128)).Name);

        string cut = keys.GetBreaker(escapedTo130).Name["bound:".Length..];
        Assert.Equal(128, cut.Length);
        Assert.StartsWith(new string('x', 118) + "%…", cut, StringComparison.Ordinal);
        Assert.Matches("^[0-9A-F]{8}$", cut[120..]);
        Assert.StartsWith("bound:" + new string('y', 118) + "%…", keys.GetBreaker(plain129).Name, StringComparison.Ordinal);
    }

    [Fact]
    public void Lone_surrogates_are_escaped_wherever_they_stand_and_the_last_control_character_takes_two_hex_digits()
    {
        CircuitBreakerKeys<string> keys = _registry.GetOrAddGroup<string>("lone");

        Assert.Equal("lone:x%uDC00", keys.GetBreaker("x\uDC00").Name);       // a low surrogate after an ordinary character
        Assert.Equal("lone:end%uD800", keys.GetBreaker("end\uD800").Name);   // a high surrogate with nothing after it
        Assert.Equal("lone:%uD800%uD800x", keys.GetBreaker("\uD800\uD800x").Name);
        Assert.Equal("lone:%9F", keys.GetBreaker("\u009F").Name);           // U+009F, a control character
        Assert.Equal("lone:\u00FF\u00A0", keys.GetBreaker("\u00FF\u00A0").Name); // printable: as they are
        Assert.Equal("lone:%u061C", keys.GetBreaker("\u061C").Name);         // the first escaped character above U+00FF
    }

    [Fact]
    public void A_full_group_scans_at_most_once_a_second_and_again_at_exactly_one_second()
    {
        var removed = new List<string>();
        _registry.BreakerRemoved += (_, b) => removed.Add(b.Name);
        var idle = TimeSpan.FromMilliseconds(500);
        CircuitBreakerKeys<string> tenants = Tenants(maxKeys: 1, idle: idle);
        tenants.GetBreaker("a");
        _time.Advance(idle);

        CircuitBreaker b = tenants.GetBreaker("b");                 // the group's first scan: a is idle and goes
        _time.Advance(idle);
        CircuitBreaker c = tenants.GetBreaker("c");                 // b is idle now, but the next scan is not due
        _time.Advance(idle - TimeSpan.FromTicks(1));
        CircuitBreaker d = tenants.GetBreaker("d");                 // a tick before the second is over: still not due
        _time.Advance(TimeSpan.FromTicks(1));
        CircuitBreaker e = tenants.GetBreaker("e");                 // exactly a second after the first scan: b goes

        Assert.Equal(["tenants:a", "tenants:b"], removed);
        Assert.Equal("tenants:b", b.Name);
        Assert.Same(tenants.Group.SharedBreaker, c);
        Assert.Same(c, d);
        Assert.Equal("tenants:e", e.Name);
        Assert.Equal((1, 2L, 2L), (tenants.Group.Count, tenants.Group.Evictions, tenants.Group.SharedCalls));
        Assert.Equal("tenants (1 of 1 keys)", tenants.Group.ToString());
    }

    [Fact]
    public void A_full_group_answers_new_keys_with_its_shared_breaker_while_its_lock_is_held()
    {
        CircuitBreakerKeys<string> tenants = Tenants(maxKeys: 1);
        tenants.GetBreaker("a");
        CircuitBreaker shared = tenants.GetBreaker("b"); // the scan found nothing idle: b shares, and the next scan is a second away

        // A scan (or a key being made) holds the group's lock: lookups that share must not wait for it.
        bool answered;
        using var looked = new ManualResetEventSlim();
        lock (tenants.Group.KeysLock)
        {
            new Thread(() =>
            {
                tenants.GetBreaker("c");
                looked.Set();
            }).Start();
            answered = looked.Wait(TimeSpan.FromSeconds(30));
        }

        Assert.True(answered);
        Assert.Same(shared, tenants.GetBreaker("d"));
        Assert.Equal(3, tenants.Group.SharedCalls);
    }

    [Fact]
    public void A_new_key_that_looked_while_another_lookup_scanned_shares_until_the_next_scan()
    {
        CircuitBreakerKeys<GatedKey> tenants = _registry.GetOrAddGroup<GatedKey>("gated", o => { o.MaxKeys = 1; o.KeyIdleTimeout = Idle; });
        CircuitBreaker a = tenants.GetBreaker(new GatedKey("a"));

        // The group is full and its first scan is due: this lookup sees so, then stops while its key's text is written.
        using var late = new GatedKey("late", gated: true);
        Thread lookup = new(() => late.Breaker = tenants.GetBreaker(late));
        lookup.Start();
        late.WaitUntilWriting();

        // Meanwhile another new key scans: a is in use and stays, so it shares, and the next scan is a second away.
        CircuitBreaker other = tenants.GetBreaker(new GatedKey("other"));
        late.Release();
        Assert.True(lookup.Join(TimeSpan.FromSeconds(60)));

        // The late lookup takes the lock after that scan: it must not make a key beyond the bound, nor scan again.
        Assert.Same(tenants.Group.SharedBreaker, other);
        Assert.Same(tenants.Group.SharedBreaker, late.Breaker);
        Assert.Equal((1, 0L), (tenants.Group.Count, tenants.Group.Evictions));
        Assert.Same(a, tenants.GetBreaker(new GatedKey("a")));
    }

    private CircuitBreakerKeys<string> Tenants(int maxKeys, TimeSpan? idle = null) =>
        _registry.GetOrAddGroup<string>("tenants", o =>
        {
            o.MaxKeys = maxKeys;
            o.KeyIdleTimeout = idle ?? Idle;
            o.MinimumThroughput = 2;
            o.SlidingWindowSize = 10;
            o.FailureRatio = 0.5;
            o.BreakDuration = Break;
            o.SuccessThreshold = 1;
        });

    internal enum Region
    {
        Europe,
        Asia,
    }

    /// <summary>A key whose text, when gated, is written only once the test releases it: a lookup stops between its look at the group and the group's lock.</summary>
    internal sealed class GatedKey(string id, bool gated = false) : IEquatable<GatedKey>, IDisposable
    {
        private readonly ManualResetEventSlim _writing = new();
        private readonly ManualResetEventSlim _release = new(!gated);

        public CircuitBreaker? Breaker { get; set; }

        public void WaitUntilWriting() => Assert.True(_writing.Wait(TimeSpan.FromSeconds(60)));

        public void Release() => _release.Set();

        public override string ToString()
        {
            _writing.Set();
            Assert.True(_release.Wait(TimeSpan.FromSeconds(60)));
            return id;
        }

        public bool Equals(GatedKey? other) => other is not null && other.Id == Id;

        public override bool Equals(object? obj) => Equals(obj as GatedKey);

        public override int GetHashCode() => Id.GetHashCode(StringComparison.Ordinal);

        public void Dispose()
        {
            _release.Set();
            _writing.Dispose();
            _release.Dispose();
        }

        private string Id => id;
    }

    /// <summary>A key whose hash code is the same for every value: every lookup walks one bucket.</summary>
    internal readonly record struct Colliding(int Value)
    {
        public override int GetHashCode() => 42;
    }

    internal readonly record struct Unprintable(int Value)
    {
        public override string ToString() => throw new InvalidOperationException("no text");
    }
}
