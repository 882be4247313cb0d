using System.Runtime.CompilerServices;
using Microsoft.Extensions.Time.Testing;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Breaker.Refit.Tests;

/// <summary>The clock of every breaker these tests create, set before any generated breaker exists.</summary>
internal static class TestClock
{
    public static FakeTimeProvider Time { get; } = new();

#pragma warning disable CA2255 // A test assembly is the one place a module initializer belongs: it sets the clock before any breaker exists.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void UseFakeClock() => CircuitBreakerRegistry.Default.TimeProvider = Time;
}
