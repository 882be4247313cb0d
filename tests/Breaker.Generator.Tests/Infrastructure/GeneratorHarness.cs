using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Breaker.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Breaker.Generator.Tests.Infrastructure;

/// <summary>Builds compilations the way a user's project looks and runs the generator over them.</summary>
public static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public static readonly ImmutableArray<MetadataReference> References =
    [
        .. Basic.Reference.Assemblies.Net100.References.All,
        MetadataReference.CreateFromFile(typeof(CircuitBreaker).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(CircuitBreakerAttribute).Assembly.Location),
    ];

    public static CSharpCompilation Compile(params string[] sources) =>
        CSharpCompilation.Create(
            "UserCode",
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"Source{i}.cs")),
            References,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                generalDiagnosticOption: ReportDiagnostic.Error,
                allowUnsafe: true));

    /// <summary>A shape's source with the usings every shape shares.</summary>
    public static CSharpCompilation CompileShape(string shape) => Compile(Shapes.Usings + shape);

    public static GeneratorDriver CreateDriver() =>
        CSharpGeneratorDriver.Create(
            [new CircuitBreakerGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static GeneratorRun Run(Compilation compilation)
    {
        GeneratorDriver driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out Compilation? output, out ImmutableArray<Diagnostic> diagnostics);
        return new GeneratorRun(driver, driver.GetRunResult().Results.Single(), output, diagnostics);
    }

    /// <summary>Every generated file, in hint-name order, each headed by its hint name.</summary>
    public static string Describe(GeneratorRunResult result) =>
        string.Join(
            "\n",
            result.GeneratedSources
                .OrderBy(s => s.HintName, StringComparer.Ordinal)
                .Select(s => "//// " + s.HintName + "\n" + s.SourceText.ToString().Replace("\r\n", "\n")));

    /// <summary>The declarations the pipeline collected for the assembly's module initializer.</summary>
    internal static IReadOnlyList<BreakerDeclarationModel> Declarations(GeneratorRunResult result) =>
        result.TrackedSteps.TryGetValue(TrackingNames.Declarations, out ImmutableArray<IncrementalGeneratorRunStep> steps)
            ? steps.SelectMany(s => s.Outputs).SelectMany(o => (EquatableArray<BreakerDeclarationModel>)o.Value).ToList()
            : [];

    /// <summary>The models the pipeline produced for the decorators that yield code.</summary>
    internal static IReadOnlyList<DecoratorModel> DecoratorModels(GeneratorRunResult result) =>
        result.TrackedSteps.TryGetValue(TrackingNames.Decorators, out ImmutableArray<IncrementalGeneratorRunStep> steps)
            ? steps.SelectMany(s => s.Outputs).Select(o => (DecoratorModel)o.Value).ToList()
            : [];

    /// <summary>The models the pipeline produced for the methods that yield code.</summary>
    internal static IReadOnlyList<GuardedMethodModel> Models(GeneratorRunResult result) =>
        result.TrackedSteps.TryGetValue(TrackingNames.SupportedMethods, out ImmutableArray<IncrementalGeneratorRunStep> steps)
            ? steps.SelectMany(s => s.Outputs).Select(o => (GuardedMethodModel)o.Value).ToList()
            : [];
}

public sealed record GeneratorRun(GeneratorDriver Driver, GeneratorRunResult Result, Compilation Output, ImmutableArray<Diagnostic> Diagnostics);
