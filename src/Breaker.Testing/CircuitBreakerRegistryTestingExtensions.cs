using System;

namespace Breaker.Testing;

/// <summary>Test helpers on a whole registry, for suites that share <see cref="CircuitBreakerRegistry.Default"/> and run their tests one at a time.</summary>
public static class CircuitBreakerRegistryTestingExtensions
{
    /// <summary>
    /// Closes every breaker of <paramref name="registry"/> and forgets their windows and back-off (counters stay): call it
    /// between tests. With a <see cref="BreakerTestScope"/> per test there is nothing to reset; in a scope's flow, resetting
    /// <see cref="CircuitBreakerRegistry.Default"/> throws (its breakers are every other test's).
    /// </summary>
    /// <param name="registry">The registry, usually <see cref="CircuitBreakerRegistry.Default"/>.</param>
    public static void ResetAll(this CircuitBreakerRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        foreach (CircuitBreaker breaker in registry)
        {
            breaker.Reset();
        }
    }
}
