using Microsoft.Extensions.DependencyInjection;

namespace Breaker.DependencyInjection;

internal sealed class CircuitBreakerBuilder(IServiceCollection services) : ICircuitBreakerBuilder
{
    public IServiceCollection Services { get; } = services;
}
