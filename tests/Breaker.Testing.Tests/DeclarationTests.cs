using System;
using System.Linq;
using Breaker.Testing.Tests.Services;

namespace Breaker.Testing.Tests;

/// <summary>BreakerDeclarations: checking how a method is guarded, from what the generator declared.</summary>
public sealed class DeclarationTests
{
    [Fact]
    public void For_a_method_gives_its_breaker_its_settings_where_it_is_declared_and_its_fallback()
    {
        CircuitBreakerDeclaration stock = BreakerDeclarations.For<Inventory>(nameof(Inventory.Stock));

        Assert.Equal(("testing-stock", "Breaker.Testing.Tests.Services.Inventory", "Stock", "Unknown"), (stock.Name, stock.DeclaringType, stock.MethodName, stock.Fallback));
        Assert.Equal((2, 0.5, TimeSpan.FromSeconds(30), 1), (stock.Options.MinimumThroughput, stock.Options.FailureRatio, stock.Options.BreakDuration, stock.Options.SuccessThreshold));
        Assert.Equal(TimeSpan.Zero, stock.Options.Timeout); // what the attribute leaves out keeps the library default
        Assert.Null(BreakerDeclarations.For<Inventory>(nameof(Inventory.Reserve)).Fallback);
        Assert.Equal(TimeSpan.FromSeconds(2), BreakerDeclarations.For<Inventory>(nameof(Inventory.CountAsync)).Options.Timeout);
    }

    [Fact]
    public void Generic_and_nested_declaring_types_are_found_from_any_construction()
    {
        CircuitBreakerDeclaration shelf = BreakerDeclarations.For<Catalog<int>.Shelf>(nameof(Catalog<int>.Shelf.Top));

        Assert.Equal(("testing-shelf", "Breaker.Testing.Tests.Services.Catalog<TItem>.Shelf"), (shelf.Name, shelf.DeclaringType));
        Assert.Equal((0.25, TimeSpan.FromSeconds(5)), (shelf.Options.FailureRatio, shelf.Options.BreakDuration));
        Assert.Same(shelf, BreakerDeclarations.For(typeof(Catalog<>.Shelf), "Top"));
        Assert.Equal(
            ["testing-by-id", "testing-by-key", "testing-size", "testing-size"],
            BreakerDeclarations.Of(typeof(Catalog<string>)).Select(static d => d.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Overloads_sharing_a_breaker_are_one_answer_and_overloads_with_different_ones_are_refused()
    {
        Assert.Equal("testing-size", BreakerDeclarations.For<Catalog<int>>(nameof(Catalog<int>.Size)).Name);
        Assert.Equal(2, BreakerDeclarations.Named("testing-size").Count);

        BreakerAssertionException error = Assert.Throws<BreakerAssertionException>(() => BreakerDeclarations.For<Catalog<int>>(nameof(Catalog<int>.Find)));
        Assert.Contains("'testing-by-id', 'testing-by-key'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_method_with_no_breaker_is_an_assertion_failure_that_lists_the_guarded_ones()
    {
        BreakerAssertionException error = Assert.Throws<BreakerAssertionException>(() => BreakerDeclarations.For<Catalog<int>>(nameof(Catalog<int>.Unguarded)));

        Assert.StartsWith("Breaker.Testing.Tests.Services.Catalog<TItem>.Unguarded declares no circuit breaker", error.Message, StringComparison.Ordinal);
        Assert.Contains("Find ('testing-by-id')", error.Message, StringComparison.Ordinal);
        Assert.Empty(BreakerDeclarations.Of<DeclarationTests>());
        Assert.Throws<ArgumentException>(() => BreakerDeclarations.For<Inventory>(" "));
    }

    [Fact]
    public void All_lists_the_declarations_of_the_loaded_assemblies()
    {
        _ = BreakerDeclarations.Of<Inventory>();

        Assert.Contains(BreakerDeclarations.All, static d => d.Name == "testing-count" && d.MethodName == "CountAsync");
    }
}
