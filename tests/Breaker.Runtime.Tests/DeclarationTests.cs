using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Runtime.Tests;

/// <summary>Declared breakers: known before their first call, created as late as possible, judged by their code's options.</summary>
public sealed class DeclarationTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void A_declared_breaker_is_listed_and_found_before_its_first_call_with_its_declared_options()
    {
        var registry = new CircuitBreakerRegistry(_time);
        var declaration = new CircuitBreakerDeclaration("quotes", new CircuitBreakerOptions { FailureRatio = 0.25, SlidingWindowSize = 500 })
        {
            DeclaringType = "Shop.QuoteClient",
            MethodName = "GetQuoteAsync",
        };

        registry.Declare(declaration);

        Assert.Same(declaration, Assert.Single(registry.Declarations));
        CircuitBreaker listed = Assert.Single(registry);
        Assert.Equal("quotes", listed.Name);
        Assert.Equal((0.25, 500, 10), (listed.Options.FailureRatio, listed.Options.SlidingWindowSize, listed.Options.MinimumThroughput));
        Assert.Equal(0, listed.GetMetrics().TotalCalls);
        Assert.True(registry.TryGet("quotes", out CircuitBreaker? found));
        Assert.Same(listed, found);
        Assert.Same(listed, registry.GetOrAdd("quotes", static o => o.FailureRatio = 0.9));
        Assert.Equal("quotes (Shop.QuoteClient.GetQuoteAsync)", declaration.ToString());
    }

    [Fact]
    public void Declaring_creates_nothing_so_a_declared_breaker_takes_the_clock_and_configuration_set_after()
    {
        var registry = new CircuitBreakerRegistry();
        var added = new List<string>();
        registry.BreakerAdded += (_, b) => added.Add(b.Name);

        registry.Declare(new CircuitBreakerDeclaration("later"));
        _ = registry.Declarations;
        Assert.Empty(added);

        registry.TimeProvider = _time;
        registry.Configure("later", static o => o.SuccessThreshold = 7);
        Assert.Empty(added);

        int count = registry.Count;
        Assert.Equal(1, count);
        Assert.Equal(["later"], added);
        Assert.True(registry.TryGet("later", out CircuitBreaker? breaker));
        Assert.Same(_time, breaker.TimeProvider);
        Assert.Equal(7, breaker.Options.SuccessThreshold);

        // Listing again creates nothing new.
        _ = registry.GetSummary();
        _ = registry.ToArray();
        Assert.Equal(["later"], added);
    }

    [Fact]
    public void Configuration_for_a_declared_breaker_is_judged_with_its_declared_options_before_it_exists()
    {
        var registry = new CircuitBreakerRegistry(_time);
        registry.Declare(new CircuitBreakerDeclaration("big", new CircuitBreakerOptions { SlidingWindowSize = 500 }));

        // Valid for this breaker (its code keeps 500 calls), though not against the library's window of 100.
        registry.Configure("big", static o => o.MinimumThroughput = 200);

        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(() => registry.Configure("big", static o => o.SlidingWindowSize = 5));
        Assert.Equal("SlidingWindowSize", error.ParamName);
        Assert.StartsWith("Circuit breaker 'big': ", error.Message, StringComparison.Ordinal);
        Assert.Equal(200, registry.GetOrAdd("big").Options.MinimumThroughput);
    }

    [Fact]
    public void The_first_declaration_of_a_name_gives_the_options_and_every_declaration_is_listed()
    {
        var registry = new CircuitBreakerRegistry(_time);
        var first = new CircuitBreakerDeclaration("shared", new CircuitBreakerOptions { FailureRatio = 0.25 }) { DeclaringType = "A", MethodName = "Get" };
        var second = new CircuitBreakerDeclaration("shared", new CircuitBreakerOptions { FailureRatio = 0.75 }) { DeclaringType = "B", MethodName = "Get" };

        registry.Declare(first);
        registry.Declare(second);

        Assert.Equal([first, second], registry.Declarations);
        CircuitBreaker breaker = Assert.Single(registry);
        Assert.Equal(0.25, breaker.Options.FailureRatio);
    }

    [Fact]
    public void Declaring_a_breaker_that_already_exists_changes_nothing()
    {
        var registry = new CircuitBreakerRegistry(_time);
        CircuitBreaker existing = registry.GetOrAdd("early", static o => o.FailureRatio = 0.3);

        registry.Declare(new CircuitBreakerDeclaration("early", new CircuitBreakerOptions { FailureRatio = 0.9 }));

        Assert.Same(existing, Assert.Single(registry));
        Assert.Equal(0.3, existing.Options.FailureRatio);
        Assert.Single(registry.Declarations);

        // Reconfiguration still starts from the options the breaker was created with.
        registry.Configure("early", static o => o.SuccessThreshold = 5);
        Assert.Equal((0.3, 5), (existing.Options.FailureRatio, existing.Options.SuccessThreshold));
    }

    [Fact]
    public void A_declaration_validates_and_copies_its_options()
    {
        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(
            () => new CircuitBreakerDeclaration("bad", new CircuitBreakerOptions { FailureRatio = 2 }));
        Assert.Equal("FailureRatio", error.ParamName);
        Assert.StartsWith("Circuit breaker 'bad': ", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new CircuitBreakerDeclaration(" "));

        var options = new CircuitBreakerOptions { SuccessThreshold = 4 };
        var declaration = new CircuitBreakerDeclaration("copied", options);
        options.SuccessThreshold = 9;
        declaration.Options.SuccessThreshold = 9;

        Assert.Equal(4, declaration.Options.SuccessThreshold);
        Assert.Throws<ArgumentNullException>(() => new CircuitBreakerRegistry().Declare(null!));
    }

    [Fact]
    public void TryGet_of_an_undeclared_name_creates_nothing()
    {
        var registry = new CircuitBreakerRegistry(_time);
        registry.Declare(new CircuitBreakerDeclaration("declared"));

        Assert.False(registry.TryGet("other", out _));
        Assert.False(registry.TryGet("Declared", out _));

        Assert.Equal(["declared"], registry.Select(static b => b.Name));
    }

    [Fact]
    public void Threads_declaring_listing_and_calling_at_once_get_one_breaker_per_name()
    {
        var registry = new CircuitBreakerRegistry(_time);
        var added = new System.Collections.Concurrent.ConcurrentBag<string>();
        registry.BreakerAdded += (_, b) => added.Add(b.Name);
        string[] names = Enumerable.Range(0, 50).Select(static i => "b" + i).ToArray();
        using var start = new Barrier(4);

        Parallel.Invoke(
            () => { start.SignalAndWait(); Array.ForEach(names, n => registry.Declare(new CircuitBreakerDeclaration(n))); },
            () => { start.SignalAndWait(); Array.ForEach(names, n => registry.GetOrAdd(n)); },
            () => { start.SignalAndWait(); for (int i = 0; i < 50; i++) { _ = registry.Count; } },
            () => { start.SignalAndWait(); Array.ForEach(names, n => registry.TryGet(n, out _)); });

        Assert.Equal(names.Length, registry.Count);
        Assert.Equal(names.Order(StringComparer.Ordinal), added.Order(StringComparer.Ordinal));
        Assert.Equal(names.Length, registry.Declarations.Count);
    }

    [Fact]
    public void Listings_racing_each_other_each_see_every_declared_breaker()
    {
        for (int round = 0; round < 20; round++)
        {
            var registry = new CircuitBreakerRegistry(_time);
            for (int i = 0; i < 200; i++)
            {
                registry.Declare(new CircuitBreakerDeclaration("d" + i));
            }

            using var start = new Barrier(3);
            int[] seen = new int[3];
            Parallel.For(0, 3, i =>
            {
                start.SignalAndWait();
                seen[i] = i switch
                {
                    0 => registry.Count(),
                    1 => registry.GetSummary().Total,
                    _ => registry.Count,
                };
            });

            Assert.Equal([200, 200, 200], seen);
        }
    }
}
