using System.Runtime.CompilerServices;
using Breaker.Testing;

namespace Breaker.Samples.Console.Tests;

/// <summary>Settings for the whole test assembly, made before any test runs.</summary>
internal static class TestAssembly
{
    /// <summary>
    /// Every test here makes a BreakerTestScope: a call through a shared breaker with no scope (work that escaped its test's
    /// flow) then throws instead of quietly sharing a breaker with the other tests.
    /// </summary>
#pragma warning disable CA2255 // A test assembly is the one place a module initializer belongs: a setting made before any test runs.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void RequireScopes() => BreakerTestScope.RequireScopes = true;
}
