using System.Linq;
using Breaker.EndToEnd.Tests.Services;

namespace Breaker.EndToEnd.Tests;

/// <summary>The generated module initializer declares every breaker of this assembly before any of them is called.</summary>
public class DeclarationTests
{
    [Fact]
    public void A_generated_breaker_is_declared_and_listed_before_its_first_call()
    {
        CircuitBreakerDeclaration declaration = Assert.Single(CircuitBreakerRegistry.Default.Declarations, static d => d.Name == "e2e-declared");
        Assert.Equal(("Breaker.EndToEnd.Tests.Services.Stockroom", "Count"), (declaration.DeclaringType, declaration.MethodName));
        Assert.Equal((0.3, 500, 200), (declaration.Options.FailureRatio, declaration.Options.SlidingWindowSize, declaration.Options.MinimumThroughput));

        // Listing the registry creates it, on the clock this assembly's own module initializer set (whichever ran first).
        CircuitBreaker listed = Assert.Single(CircuitBreakerRegistry.Default, static b => b.Name == "e2e-declared");
        Assert.Same(TestClock.Time, listed.TimeProvider);
        Assert.Equal(0, listed.GetMetrics().TotalCalls);

        Assert.Equal(3, new Stockroom().Count("abc"));

        Assert.Same(listed, TestClock.Breaker("e2e-declared"));
        Assert.Equal(1, listed.GetMetrics().SuccessfulCalls);
    }

    [Fact]
    public void Every_guarded_method_of_the_assembly_is_declared_by_name_type_and_method()
    {
        var declared = CircuitBreakerRegistry.Default.Declarations.Select(static d => (d.Name, d.DeclaringType, d.MethodName)).ToList();

        Assert.Contains(("e2e-quotes", "Breaker.EndToEnd.Tests.Services.QuoteClient", "GetQuoteAsync"), declared);
        Assert.Contains(("e2e-timeout-longest", "Breaker.EndToEnd.Tests.Services.SlowService", "LongestWithTokenAsync"), declared);
        Assert.Contains(("e2e-keyword-exception", "Breaker.EndToEnd.Tests.Services.KeywordNamedFailures", "Run"), declared);
        Assert.Equal(declared.Count, declared.Distinct().Count());
    }

    [Fact]
    public void A_declaration_names_the_fallback_of_its_method_and_only_when_there_is_one()
    {
        CircuitBreakerDeclaration withFallback = Assert.Single(CircuitBreakerRegistry.Default.Declarations, static d => d.Name == "e2e-quotes");
        CircuitBreakerDeclaration without = Assert.Single(CircuitBreakerRegistry.Default.Declarations, static d => d.Name == "e2e-declared");

        Assert.Equal("CachedQuote", withFallback.Fallback);
        Assert.Null(without.Fallback);
    }

    [Fact]
    public void An_exception_type_named_like_a_keyword_reaches_its_fallback()
    {
        var service = new KeywordNamedFailures();

        Assert.Equal(1, service.Run(fail: false));
        Assert.Equal(-1, service.Run(fail: true));
        Assert.Equal(1, TestClock.Metrics("e2e-keyword-exception").FailedCalls);
    }
}
