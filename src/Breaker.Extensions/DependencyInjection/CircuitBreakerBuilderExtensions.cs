using System;
using Breaker;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configuration of individual breakers on an <see cref="ICircuitBreakerBuilder"/>.</summary>
public static class CircuitBreakerBuilderExtensions
{
    /// <summary>
    /// Configures the breaker called <paramref name="name"/> in code, after what configuration says about it; the place
    /// for settings configuration cannot express, such as <see cref="CircuitBreakerOptions.ShouldHandle"/>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The breaker's name.</param>
    /// <param name="configure">Changes its options.</param>
    /// <returns>The builder, for chaining.</returns>
    public static ICircuitBreakerBuilder Configure(this ICircuitBreakerBuilder builder, string name, Action<CircuitBreakerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure<CircuitBreakerRegistryOptions>(options => options.Configure(name, configure));
        return builder;
    }
}
