using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Runtime.Tests;

public sealed class RegistryTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void GetOrAdd_layers_library_defaults_then_defaults_then_configuration()
    {
        var registry = new CircuitBreakerRegistry(_time);
        registry.Configure("quotes", o => o.BreakDuration = TimeSpan.FromSeconds(5));

        CircuitBreaker breaker = registry.GetOrAdd("quotes", o => { o.BreakDuration = TimeSpan.FromSeconds(30); o.FailureRatio = 0.25; });

        Assert.Equal(TimeSpan.FromSeconds(5), breaker.Options.BreakDuration); // configuration wins
        Assert.Equal(0.25, breaker.Options.FailureRatio); // the defaults fill what configuration leaves
        Assert.Equal(100, breaker.Options.SlidingWindowSize); // the library fills the rest
        Assert.Same(_time, breaker.TimeProvider);
    }

    [Fact]
    public void GetOrAdd_returns_the_same_breaker_and_ignores_later_defaults()
    {
        var registry = new CircuitBreakerRegistry(_time);

        CircuitBreaker first = registry.GetOrAdd("a", o => o.SuccessThreshold = 5);
        CircuitBreaker second = registry.GetOrAdd("a", o => o.SuccessThreshold = 7);

        Assert.Same(first, second);
        Assert.Equal(5, second.Options.SuccessThreshold);
        Assert.Equal("a", first.Name);
    }

    [Fact]
    public void A_keyed_groups_breaker_is_named_after_its_group_and_key_and_marked_before_anyone_sees_it()
    {
        var registry = new CircuitBreakerRegistry(_time);
        var seen = new List<(string Name, string? Group)>();
        registry.BreakerAdded += (_, b) => seen.Add((b.Name, b.Group));
        registry.Configure("hosts:api.example.com", o => o.BreakDuration = TimeSpan.FromSeconds(7));

        CircuitBreaker keyed = registry.GetOrAddGroup<string>("hosts", o => o.FailureRatio = 0.25).GetBreaker("api.example.com");
        CircuitBreaker plain = registry.GetOrAdd("quotes");

        Assert.Equal(("hosts:api.example.com", "hosts"), (keyed.Name, keyed.Group));
        Assert.Equal((0.25, TimeSpan.FromSeconds(7)), (keyed.Options.FailureRatio, keyed.Options.BreakDuration));
        Assert.Same(keyed, registry.GetOrAddGroup<string>("hosts").GetBreaker("api.example.com"));
        Assert.Null(plain.Group);
        Assert.Equal([("hosts:api.example.com", "hosts"), ("quotes", null)], seen);
    }

    [Fact]
    public void A_registry_listener_that_throws_fails_no_call_and_the_other_listeners_still_hear()
    {
        var registry = new CircuitBreakerRegistry(_time);
        var added = new List<(object? Sender, string Name)>();
        var rejected = new List<string>();
        registry.BreakerAdded += (_, _) => throw new InvalidOperationException("listener bug");
        registry.BreakerAdded += (sender, b) => added.Add((sender, b.Name));
        registry.ConfigurationRejected += (_, _) => throw new InvalidOperationException("listener bug");
        registry.ConfigurationRejected += (_, e) => rejected.Add(e.BreakerName);
        registry.Configure("bad", o => o.MinimumThroughput = 500);

        CircuitBreaker quotes = registry.GetOrAdd("quotes");
        CircuitBreaker bad = registry.GetOrAdd("bad");

        Assert.Equal([(registry, "quotes"), (registry, "bad")], added);
        Assert.Equal(["bad"], rejected);
        Assert.Same(quotes, registry.GetOrAdd("quotes"));
        Assert.Equal(10, bad.Options.MinimumThroughput);
    }

    [Fact]
    public void Names_are_case_sensitive()
    {
        var registry = new CircuitBreakerRegistry(_time);

        Assert.NotSame(registry.GetOrAdd("Quotes"), registry.GetOrAdd("quotes"));
        Assert.Equal(2, registry.Count);
    }

    [Fact]
    public void GetOrAdd_sets_aside_configuration_that_breaks_the_codes_options_and_says_why()
    {
        var registry = new CircuitBreakerRegistry(_time);
        var rejected = new List<ConfigurationRejectedEventArgs>();
        registry.ConfigurationRejected += (_, e) => rejected.Add(e);
        registry.Configure("bad", o => o.MinimumThroughput = 500);

        CircuitBreaker breaker = registry.GetOrAdd("bad", o => o.FailureRatio = 0.25);

        Assert.Equal(10, breaker.Options.MinimumThroughput); // the configuration was set aside...
        Assert.Equal(0.25, breaker.Options.FailureRatio);     // ...and the code's own values kept
        ConfigurationRejectedEventArgs reason = Assert.Single(rejected);
        Assert.Equal("bad", reason.BreakerName);
        Assert.Equal("SlidingWindowSize", reason.Error.ParamName);
        Assert.StartsWith("Circuit breaker 'bad': ", reason.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetOrAdd_with_invalid_options_of_its_own_names_the_breaker_and_adds_nothing()
    {
        var registry = new CircuitBreakerRegistry(_time);

        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(() => registry.GetOrAdd("bad", o => o.MinimumThroughput = 500));

        Assert.Equal("SlidingWindowSize", error.ParamName);
        Assert.StartsWith("Circuit breaker 'bad': ", error.Message, StringComparison.Ordinal);
        Assert.False(registry.TryGet("bad", out _));
        Assert.Empty(registry);
    }

    [Fact]
    public void Configure_reconfigures_a_live_breaker_and_keeps_its_state()
    {
        var registry = new CircuitBreakerRegistry(_time);
        CircuitBreaker breaker = registry.GetOrAdd("live", o => { o.MinimumThroughput = 2; o.SlidingWindowSize = 10; });
        breaker.Fail(2);
        Assert.Equal(CircuitState.Open, breaker.State);

        registry.Configure("live", o => o.BreakDuration = TimeSpan.FromSeconds(1));

        Assert.Equal(CircuitState.Open, breaker.State);
        Assert.Equal(TimeSpan.FromSeconds(1), breaker.Options.BreakDuration);
        Assert.Equal(2, breaker.Options.MinimumThroughput); // the defaults still apply under the configuration
        Assert.Equal(2, breaker.GetMetrics().WindowCalls); // same window shape: the window survives
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(CircuitState.Open, breaker.State); // the running break keeps its end
        _time.Advance(TimeSpan.FromSeconds(59));
        breaker.Fail(1);
        Assert.Equal(TimeSpan.FromSeconds(1), breaker.GetMetrics().RetryAfter); // the next break is the new one
    }

    [Fact]
    public void Configure_replaces_the_earlier_configuration_rather_than_adding_to_it()
    {
        var registry = new CircuitBreakerRegistry(_time);
        CircuitBreaker breaker = registry.GetOrAdd("r");
        registry.Configure("r", o => o.SuccessThreshold = 9);

        registry.Configure("r", o => o.FailureRatio = 0.9);

        Assert.Equal(3, breaker.Options.SuccessThreshold);
        Assert.Equal(0.9, breaker.Options.FailureRatio);
    }

    [Fact]
    public void An_invalid_Configure_leaves_the_live_breaker_and_the_old_configuration_alone()
    {
        var registry = new CircuitBreakerRegistry(_time);
        registry.Configure("x", o => o.SuccessThreshold = 4);
        CircuitBreaker breaker = registry.GetOrAdd("x");

        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(() => registry.Configure("x", o => o.SuccessThreshold = 0));

        Assert.Equal("SuccessThreshold", error.ParamName);
        Assert.Contains("'x'", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, breaker.Options.SuccessThreshold);
        registry.Configure("x", o => o.FailureRatio = 0.9);
        Assert.Equal(3, breaker.Options.SuccessThreshold); // a later valid configuration replaces the old one
    }

    [Fact]
    public void TryGet_finds_only_breakers_that_exist()
    {
        var registry = new CircuitBreakerRegistry(_time);
        registry.Configure("configured-only", o => o.SuccessThreshold = 1);
        CircuitBreaker created = registry.GetOrAdd("created");

        Assert.True(registry.TryGet("created", out CircuitBreaker? found));
        Assert.Same(created, found);
        Assert.False(registry.TryGet("configured-only", out CircuitBreaker? missing));
        Assert.Null(missing);
    }

    [Fact]
    public void The_registry_enumerates_its_breakers()
    {
        var registry = new CircuitBreakerRegistry(_time);
        Assert.Empty(registry);

        CircuitBreaker a = registry.GetOrAdd("a");
        CircuitBreaker b = registry.GetOrAdd("b");

        Assert.Equal(2, registry.Count);
        Assert.Equal(new[] { a, b }, registry.OrderBy(x => x.Name, StringComparer.Ordinal));
        IReadOnlyCollection<CircuitBreaker> collection = registry;
        Assert.Equal(2, collection.Count);
    }

    [Fact]
    public void The_clock_applies_to_breakers_created_after_it_is_set()
    {
        var registry = new CircuitBreakerRegistry();
        CircuitBreaker before = registry.GetOrAdd("before");

        registry.TimeProvider = _time;
        CircuitBreaker after = registry.GetOrAdd("after");

        Assert.Same(TimeProvider.System, before.TimeProvider);
        Assert.Same(_time, after.TimeProvider);
        Assert.Throws<ArgumentNullException>(() => registry.TimeProvider = null!);
    }

    [Fact]
    public void Arguments_are_checked()
    {
        var registry = new CircuitBreakerRegistry(_time);

        Assert.Throws<ArgumentException>(() => registry.GetOrAdd(""));
        Assert.Throws<ArgumentNullException>(() => registry.Configure("n", null!));
        Assert.Throws<ArgumentNullException>(() => registry.TryGet(null!, out _));
    }

    [Fact]
    public void The_default_registry_is_one_instance()
    {
        Assert.Same(CircuitBreakerRegistry.Default, CircuitBreakerRegistry.Default);
    }

    [Fact]
    public void GetSummary_lists_every_breaker_sorted_with_counts_by_state_and_draws_a_tree()
    {
        var registry = new CircuitBreakerRegistry(_time);
        CircuitBreaker quotes = registry.GetOrAdd("quotes");
        CircuitBreaker payments = registry.GetOrAdd("payments", o => { o.MinimumThroughput = 2; o.SlidingWindowSize = 10; });
        payments.Succeed(1);
        payments.Fail(1);
        Assert.False(payments.TryAcquire().IsGranted);
        payments.RecordFallback();
        quotes.Succeed(2);

        CircuitBreakerRegistrySummary summary = registry.GetSummary();

        Assert.Equal(new[] { "payments", "quotes" }, summary.Breakers.Select(m => m.Name));
        Assert.Equal(2, summary.Total);
        Assert.Equal(1, summary.CountsByState[CircuitState.Open]);
        Assert.Equal(1, summary.CountsByState[CircuitState.Closed]);
        Assert.Equal(0, summary.CountsByState[CircuitState.Isolated]);
        Assert.False(summary.AllClosed);
        string expected =
            "Circuit breakers (2) · Closed 1 · Open 1\n" +
            "├─ payments [Open]\n" +
            "│  ├─ calls 3: 1 ok, 1 failed, 1 rejected, 1 fallbacks\n" +
            "│  └─ window 2 calls, failure rate 50.0%, opened 1×, average 0 ms\n" +
            "└─ quotes [Closed]\n" +
            "   ├─ calls 2: 2 ok, 0 failed, 0 rejected, 0 fallbacks\n" +
            "   └─ window 2 calls, failure rate 0.0%, opened 0×, average 0 ms\n";
        Assert.Equal(expected, summary.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void An_empty_registry_summary_is_all_closed()
    {
        CircuitBreakerRegistrySummary summary = new CircuitBreakerRegistry(_time).GetSummary();

        Assert.True(summary.AllClosed);
        Assert.Equal(0, summary.Total);
        Assert.Equal("Circuit breakers (0)\n", summary.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Many_threads_asking_for_one_name_get_one_instance()
    {
        for (int round = 0; round < 50; round++)
        {
            var registry = new CircuitBreakerRegistry(_time);
            int created = 0;
            var results = new CircuitBreaker?[8];
            RunTogether(results.Length, i =>
                results[i] = registry.GetOrAdd("shared", o => { Interlocked.Increment(ref created); o.SuccessThreshold = 1 + i; }));

            Assert.All(results, r => Assert.Same(results[0], r));
            Assert.Equal(1, created);
            Assert.Single(registry);
        }
    }

    [Fact]
    public void Configure_racing_GetOrAdd_is_never_lost()
    {
        for (int round = 0; round < 50; round++)
        {
            var registry = new CircuitBreakerRegistry(_time);
            CircuitBreaker? breaker = null;
            RunTogether(2, i =>
            {
                if (i == 0)
                {
                    breaker = registry.GetOrAdd("race");
                }
                else
                {
                    registry.Configure("race", o => o.SuccessThreshold = 7);
                }
            });

            Assert.Equal(7, breaker!.Options.SuccessThreshold);
        }
    }

    /// <summary>Runs <paramref name="body"/> on dedicated threads released at the same moment.</summary>
    private static void RunTogether(int count, Action<int> body)
    {
        using var start = new Barrier(count);
        var threads = new Thread[count];
        for (int i = 0; i < count; i++)
        {
            int index = i;
            threads[i] = new Thread(() => { start.SignalAndWait(); body(index); });
            threads[i].Start();
        }

        foreach (Thread thread in threads)
        {
            thread.Join();
        }
    }
}
