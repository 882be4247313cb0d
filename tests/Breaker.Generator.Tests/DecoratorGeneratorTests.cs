using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Breaker.Generator.Model;
using Breaker.Generator.Tests.Analyzers;
using Breaker.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;

namespace Breaker.Generator.Tests;

/// <summary>Decorator classes: the emitted source, that it compiles warning-free, that it stays cached, and that its model is plain.</summary>
public class DecoratorGeneratorTests
{
    public static TheoryData<string> DecoratorNames => new(Shapes.Decorators.Keys);

    [Theory]
    [MemberData(nameof(DecoratorNames))]
    public void Emitted_source_matches_the_checked_in_snapshot(string shape)
    {
        GeneratorRun run = GeneratorHarness.Run(GeneratorHarness.CompileShape(Shapes.Decorators[shape]));

        Assert.Null(run.Result.Exception);
        Snapshot.Match(shape, GeneratorHarness.Describe(run.Result));
    }

    [Theory]
    [MemberData(nameof(DecoratorNames))]
    public void A_decorator_compiles_without_a_warning_once_generated(string shape)
    {
        CSharpCompilation input = GeneratorHarness.CompileShape(Shapes.Decorators[shape]);
        GeneratorRun run = GeneratorHarness.Run(input);

        Assert.Empty(run.Diagnostics);
        Assert.Single(GeneratorHarness.DecoratorModels(run.Result));
        using var assembly = new MemoryStream();
        EmitResult emitted = run.Output.Emit(assembly);
        var problems = emitted.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.ToString()).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\n\n" + GeneratorHarness.Describe(run.Result));
    }

    [Theory]
    [MemberData(nameof(DecoratorNames))]
    public async Task A_sound_decorator_has_no_diagnostic(string shape)
    {
        GeneratorRun run = GeneratorHarness.Run(GeneratorHarness.CompileShape(Shapes.Decorators[shape]));

        ImmutableArray<Diagnostic> diagnostics = await AgreementTests.AnalyzeAsync(run.Output);

        Assert.Empty(diagnostics);
    }

    public static TheoryData<string, string> Mistakes => new()
    {
        { "BRK0026", "public interface I { int Get(); } public partial class Outer { [CircuitBreaker(\"b\")] public class D : I { } }" },
        { "BRK0027", "[CircuitBreaker(\"b\")] public partial class D { }" },
        { "BRK0028", "public interface I { int Get(); } [CircuitBreaker(\"b\")] public partial class D : I { private readonly I _a; private readonly I _b; public D(I a) { _a = a; _b = a; } }" },
        { "BRK0029", "public interface I { IAsyncEnumerator<int> Stream(); } [CircuitBreaker(\"b\")] public partial class D : I;" },
        { "BRK0029", "public interface I { Task Fill(ref int slot); } [CircuitBreaker(\"b\")] public partial class D : I;" },
        { "BRK0029", "public interface I { unsafe int* Pointer(); } [CircuitBreaker(\"b\")] public partial class D : I;" },
        { "BRK0030", "public interface I { int Get(); } [CircuitBreaker(\"b\", Key = \"id\")] public partial class D : I;" },
        { "BRK0030", "public partial class C { [CircuitBreaker(\"b\", PerMethod = true)] public partial int Get(); private int GetCore() => 1; }" },
        { "BRK0018", "public interface I { int Get(); } [CircuitBreaker(\"b\", FailureRatio = 2)] public partial class D : I;" },
        { "BRK0025", "public interface I { int Get(); } [CircuitBreaker(\"b\", BreakDurationHook = \"Missing\")] public partial class D : I;" },
        { "BRK0025", "public interface I { int Get(); } [CircuitBreaker(\"b\", BreakDurationHook = nameof(Hook))] public partial class D : I { private TimeSpan? Hook(BreakContext context) => null; }" },
        { "BRK0017", "public interface I { int Get(); } [CircuitBreaker(\" \")] public partial class D : I;" },
        { "BRK0015", "public interface I { int Get(); } [CircuitBreaker(\"b\", Handles = [typeof(string)])] public partial class D : I;" },
        { "BRK0016", "public interface I { int Get(); } [CircuitBreaker(\"b\", Handles = [typeof(IOException)], Ignores = [typeof(IOException)])] public partial class D : I;" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public async Task A_decorator_mistake_is_an_error_and_yields_no_decorator(string id, string source)
    {
        GeneratorRun run = GeneratorHarness.Run(GeneratorHarness.CompileShape(source));

        ImmutableArray<Diagnostic> diagnostics = await AgreementTests.AnalyzeAsync(run.Output);

        Assert.Contains(diagnostics, d => d.Id == id && d.Severity == DiagnosticSeverity.Error);
        Assert.Empty(GeneratorHarness.DecoratorModels(run.Result));
        Assert.Null(run.Result.Exception);
    }

    [Fact]
    public async Task A_customised_member_that_matches_no_interface_member_is_an_error_and_gets_a_throwing_body()
    {
        GeneratorRun run = GeneratorHarness.Run(GeneratorHarness.CompileShape(
            "public interface I { int Get(); } [CircuitBreaker(\"b\")] public partial class D : I { [CircuitBreaker(\"c\")] public partial int Got(); }"));

        ImmutableArray<Diagnostic> diagnostics = await AgreementTests.AnalyzeAsync(run.Output);

        Assert.Equal(["BRK0031"], diagnostics.Select(d => d.Id));
        Assert.Contains("throw new global::System.InvalidOperationException", run.Result.GeneratedSources.Single(s => s.HintName == "D.Got.g.cs").SourceText.ToString(), System.StringComparison.Ordinal);
        Assert.Empty(run.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    [Fact]
    public void An_unrelated_edit_leaves_the_decorator_and_the_declarations_cached()
    {
        CSharpCompilation compilation = GeneratorHarness.Compile(Shapes.Usings + Shapes.Decorators["DecoratorOfEveryMemberShape"], "namespace Other; public class Unrelated { }");
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        SyntaxTree unrelated = compilation.SyntaxTrees.Last();
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(
            unrelated,
            CSharpSyntaxTree.ParseText("namespace Other; public class Unrelated { public int Added => 1; }", GeneratorHarness.ParseOptions, unrelated.FilePath));

        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (string step in new[] { TrackingNames.Decorators, TrackingNames.Declarations })
        {
            var outputs = result.TrackedSteps[step].SelectMany(s => s.Outputs).ToList();
            Assert.NotEmpty(outputs);
            Assert.All(outputs, o => Assert.Contains(o.Reason, new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged }));
        }

        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o =>
            Assert.Contains(o.Reason, new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged }));
    }

    [Fact]
    public void A_new_member_of_the_interface_modifies_the_decorator()
    {
        string source = Shapes.Usings + Shapes.Decorators["DecoratorOfEveryMemberShape"];
        CSharpCompilation compilation = GeneratorHarness.Compile(source);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        SyntaxTree tree = compilation.SyntaxTrees.Single();
        string changed = source.Replace("void Clear();", "void Clear();\n\n        long Size();");
        Assert.NotEqual(source, changed);

        GeneratorRunResult result = driver.RunGenerators(compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(changed, GeneratorHarness.ParseOptions, tree.FilePath)))
            .GetRunResult().Results.Single();

        Assert.Equal(IncrementalStepRunReason.Modified, result.TrackedSteps[TrackingNames.Decorators].Single().Outputs.Single().Reason);
        Assert.Contains("public long Size()", result.GeneratedSources.Single(s => s.HintName.EndsWith(".CircuitBreakerDecorator.g.cs", System.StringComparison.Ordinal)).SourceText.ToString(), System.StringComparison.Ordinal);
    }

    [Fact]
    public void Every_decorator_model_holds_only_plain_values()
    {
        var models = Shapes.Decorators.Values
            .SelectMany(source => GeneratorHarness.DecoratorModels(GeneratorHarness.Run(GeneratorHarness.CompileShape(source)).Result))
            .ToList();

        Assert.Equal(Shapes.Decorators.Count, models.Count);
        var visited = new List<object>();
        foreach (DecoratorModel model in models)
        {
            ModelPurityTests.Walk(model, "decorator", visited);
        }

        Assert.Contains(visited, o => o is GuardedMethodModel);
        Assert.Contains(visited, o => o is ForwardedMemberModel);
        Assert.Contains(visited, o => o is DecoratorBreakerModel);
    }
}
