using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace Breaker.Generator.Tests.Infrastructure;

/// <summary>
/// Runs the analyzers and code fixes through Microsoft.CodeAnalysis.Testing, offline: the reference assemblies are
/// Basic.Reference.Assemblies' (no NuGet package is resolved), plus the runtime and the attribute. The generator does not
/// run here, so the compiler's "no implementation part" errors are not checked; <see cref="GeneratorHarness"/> checks
/// that fixed code compiles.
/// </summary>
public static class AnalyzerVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public static DiagnosticResult Diagnostic(DiagnosticDescriptor descriptor) => new(descriptor);

    /// <summary>Checks that <paramref name="source"/> (markup, after <see cref="Shapes.Usings"/>) yields exactly the marked and <paramref name="expected"/> diagnostics.</summary>
    public static Task VerifyAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new CSharpAnalyzerTest<TAnalyzer, DefaultVerifier> { TestCode = Shapes.Usings + source };
        Offline.Configure(test);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }
}

/// <summary>Runs a code fix offline and checks the fixed text; the fixed code must have none of the analyzer's diagnostics left.</summary>
public static class CodeFixVerifier<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    public static Task VerifyAsync(string source, string fixedSource, string? equivalenceKey = null)
    {
        var test = new CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
        {
            TestCode = Shapes.Usings + source,
            FixedCode = Shapes.Usings + fixedSource,
            CodeActionEquivalenceKey = equivalenceKey,
        };
        Offline.Configure(test);
        return test.RunAsync(CancellationToken.None);
    }
}

internal static class Offline
{
    /// <summary>A target framework without a reference-assembly package: nothing is downloaded.</summary>
    private static readonly ReferenceAssemblies NoPackage = new("net10.0");

    public static void Configure<TVerifier>(AnalyzerTest<TVerifier> test)
        where TVerifier : IVerifier, new()
    {
        test.CompilerDiagnostics = CompilerDiagnostics.None;
        test.TestState.ReferenceAssemblies = NoPackage;
        test.TestState.AdditionalReferences.AddRange(GeneratorHarness.References);
        test.SolutionTransforms.Add((solution, projectId) =>
        {
            Project project = solution.GetProject(projectId)!;
            CSharpCompilationOptions options = ((CSharpCompilationOptions)project.CompilationOptions!)
                .WithNullableContextOptions(NullableContextOptions.Enable)
                .WithAllowUnsafe(true);
            return solution
                .WithProjectCompilationOptions(projectId, options)
                .WithProjectParseOptions(projectId, GeneratorHarness.ParseOptions);
        });
    }
}
