using System.Runtime.CompilerServices;
using Microsoft.Extensions.Time.Testing;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Breaker.EndToEnd.Tests;

/// <summary>
/// The clock of every breaker these tests create. Generated breakers come from <see cref="CircuitBreakerRegistry.Default"/>,
/// which hands its clock to breakers created later, so it is set before any test code runs. Tests run one at a time
/// because moving the shared clock would otherwise fire another test's timeout.
/// </summary>
internal static class TestClock
{
    public static FakeTimeProvider Time { get; } = new();

#pragma warning disable CA2255 // A test assembly is the one place a module initializer belongs: it sets the clock before any breaker exists.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void UseFakeClock() => CircuitBreakerRegistry.Default.TimeProvider = Time;

    public static CircuitBreakerMetrics Metrics(string breakerName)
    {
        Assert.True(CircuitBreakerRegistry.Default.TryGet(breakerName, out CircuitBreaker? breaker), $"no breaker named {breakerName}");
        return breaker.GetMetrics();
    }

    public static CircuitBreaker Breaker(string breakerName)
    {
        Assert.True(CircuitBreakerRegistry.Default.TryGet(breakerName, out CircuitBreaker? breaker), $"no breaker named {breakerName}");
        return breaker;
    }
}
