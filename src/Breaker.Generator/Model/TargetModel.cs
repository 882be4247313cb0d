namespace Breaker.Generator.Model;

/// <summary>
/// What the project the code is generated into can compile: its C# version and the framework members that differ
/// between netstandard2.0 and .NET 8+. One value per compilation, equal across edits, so it never invalidates a method's output.
/// </summary>
/// <param name="LanguageSupported">C# 9 or later: partial methods with return types, <c>out</c> parameters and accessibility (BRK0032 otherwise, and no code).</param>
/// <param name="TaskIsCompletedSuccessfully">Whether <c>Task.IsCompletedSuccessfully</c> exists (not on netstandard2.0: the status is compared instead).</param>
/// <param name="TimeProviderInFramework">Whether the framework takes a <c>TimeProvider</c> in <c>CancellationTokenSource</c>'s constructor and <c>Task.WaitAsync</c> (.NET 8+); otherwise the code calls Microsoft.Bcl.TimeProvider's <c>TimeProviderTaskExtensions</c>.</param>
/// <param name="ValueTaskFromException">Whether <c>ValueTask.FromException</c> exists (.NET 5+); otherwise a faulted task is wrapped.</param>
/// <param name="ModuleInitializers">Whether <c>ModuleInitializerAttribute</c> is available (not on netstandard2.0 unless the project declares it, e.g. with PolySharp): without it, breakers are declared to the registry on their first call.</param>
internal sealed record TargetModel(bool LanguageSupported, bool TaskIsCompletedSuccessfully, bool TimeProviderInFramework, bool ValueTaskFromException, bool ModuleInitializers)
{
    /// <summary>The target of .NET 8 and later with C# 9 or later: what the emitters assume when given none.</summary>
    public static TargetModel Modern { get; } = new(true, true, true, true, true);
}
