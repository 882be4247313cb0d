using Microsoft.Extensions.DependencyInjection;

namespace Breaker;

/// <summary>
/// Returned by <c>AddCircuitBreakers</c>, for chaining more circuit breaker configuration (and integrations such as a
/// coordination store) onto the same service collection.
/// </summary>
public interface ICircuitBreakerBuilder
{
    /// <summary>The service collection the breakers are registered in.</summary>
    IServiceCollection Services { get; }
}
