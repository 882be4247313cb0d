using System;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Breaker.Generator.Analyzers;
using Breaker.Generator.Parsing;
using Breaker.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Breaker.Generator.Tests.Analyzers;

/// <summary>
/// The analyzers run on what a build sees (the user's code plus the generator's output) and agree with the generator:
/// a method yields code exactly when the analyzer reports no error for it.
/// </summary>
public class AgreementTests
{
    /// <summary>The one supported shape with a warning: an async method with a timeout and no token (BRK0020 by design).</summary>
    private const string ShapeWithTimeoutWithoutToken = "ValueTaskOfTWithoutTokenAndTimeout";

    public static TheoryData<string> SupportedShapes => new(Shapes.Supported.Keys);

    public static TheoryData<string, string, string> UnsupportedShapes => UnsupportedShapeTests.Cases;

    [Theory]
    [MemberData(nameof(SupportedShapes))]
    public async Task A_supported_shape_has_no_diagnostic(string name)
    {
        GeneratorRun run = GeneratorHarness.Run(GeneratorHarness.CompileShape(Shapes.Supported[name]));

        ImmutableArray<Diagnostic> diagnostics = await AnalyzeAsync(run.Output);

        Assert.Equal(name == ShapeWithTimeoutWithoutToken ? ["BRK0020"] : [], diagnostics.Select(d => d.Id));
        Assert.Empty(run.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    [Fact]
    public async Task Methods_the_generator_implemented_are_analyzed()
    {
        GeneratorRun run = GeneratorHarness.Run(GeneratorHarness.CompileShape("""
            public partial class A
            {
                [CircuitBreaker("shared", FailureRatio = 0.25)] public partial int Get();
                private int GetCore() => 1;
            }

            public partial class B
            {
                [CircuitBreaker("shared")] public partial int Get();
                private int GetCore() => 1;
            }
            """));

        ImmutableArray<Diagnostic> diagnostics = await AnalyzeAsync(run.Output);

        Assert.Equal(["A.Get.g.cs", "B.Get.g.cs", "CircuitBreakerDeclarations.g.cs"], run.Result.GeneratedSources.Select(s => s.HintName).Order(StringComparer.Ordinal));
        Assert.Equal(["BRK0021", "BRK0021"], diagnostics.Select(d => d.Id));
        Assert.All(diagnostics, d => Assert.Single(d.AdditionalLocations));
    }

    [Theory]
    [MemberData(nameof(UnsupportedShapes))]
    public async Task A_method_the_generator_skips_has_an_error(string name, string reason, string source)
    {
        GeneratorRun run = GeneratorHarness.Run(GeneratorHarness.CompileShape(source));

        ImmutableArray<Diagnostic> diagnostics = await AnalyzeAsync(run.Output);

        Assert.True(diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error && d.Id.StartsWith("BRK", StringComparison.Ordinal)), name + ": " + reason);
    }

    [Fact]
    public async Task Mutated_code_yields_code_exactly_where_the_analyzer_reports_no_error()
    {
        var random = new Random(20261128);
        string[] sources = Shapes.Supported.Values.ToArray();
        int failed = 0;
        int generated = 0;
        for (int i = 0; i < 300; i++)
        {
            string source = Shapes.Usings + FuzzTests.Mutate(sources[random.Next(sources.Length)], random);
            CSharpCompilation input = GeneratorHarness.Compile(source);
            GeneratorRun run = GeneratorHarness.Run(input);
            var errors = (await AnalyzeAsync(run.Output)).Where(d => d.Descriptor.DefaultSeverity == DiagnosticSeverity.Error).ToList();
            foreach ((IMethodSymbol? method, AttributeData? attribute, MethodDeclarationSyntax? declaration) in GuardedMethods(input))
            {
                ParseFailure? failure = ParserHarness.Parse(method, attribute, input).Failure;
                if (failure?.Reason is ParseFailureReason.InvalidAttribute or ParseFailureReason.InvalidDeclaration)
                {
                    continue;
                }

                bool reported = errors.Any(d => d.Location.SourceTree == declaration.SyntaxTree && declaration.Span.Contains(d.Location.SourceSpan));
                Assert.True(reported == (failure is not null), $"iteration {i}, {method.Name}: parser says {failure?.Reason.ToString() ?? "ok"}, analyzer {(reported ? "reports an error" : "reports none")}\n{string.Join("\n", errors)}\n{source}");
                failed += failure is null ? 0 : 1;
                generated += failure is null ? 1 : 0;
            }
        }

        Assert.True(failed > 10 && generated > 10, $"{failed} failed, {generated} generated: the mutations test too little");
    }

    internal static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Compilation compilation) =>
        await compilation
            .WithAnalyzers([new GuardedMethodAnalyzer(), new SharedBreakerAnalyzer()])
            .GetAnalyzerDiagnosticsAsync(CancellationToken.None);

    private static (IMethodSymbol Method, AttributeData Attribute, MethodDeclarationSyntax Declaration)[] GuardedMethods(Compilation compilation) =>
        compilation.SyntaxTrees
            .SelectMany(tree => tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>()
                .Select(m => (Declaration: m, Symbol: compilation.GetSemanticModel(tree).GetDeclaredSymbol(m))))
            .Where(m => m.Symbol is { PartialDefinitionPart: null })
            .Select(m => (Method: m.Symbol!, Attributes: m.Symbol!.GetAttributes().Where(a => a.AttributeClass?.ToDisplayString() == GuardedMethodParser.AttributeMetadataName).ToList(), m.Declaration))
            .Where(m => m.Attributes.Count == 1)
            .Select(m => (m.Method, m.Attributes[0], m.Declaration))
            .ToArray();
}
