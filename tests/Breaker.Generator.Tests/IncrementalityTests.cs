using System.Linq;
using Breaker.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Breaker.Generator.Tests;

public class IncrementalityTests
{
    private static readonly string[] TrackedSteps = [TrackingNames.ParsedMethods, TrackingNames.SupportedMethods, TrackingNames.Declarations];

    private static readonly string Source = Shapes.Usings + Shapes.Supported["TaskOfTWithTokenAndTimeout"];

    [Theory]
    [InlineData("TaskOfTWithTokenAndTimeout")]
    [InlineData("KeyedByParameter")]
    public void An_unrelated_edit_leaves_every_step_cached_or_unchanged(string shape)
    {
        CSharpCompilation compilation = GeneratorHarness.Compile(Shapes.Usings + Shapes.Supported[shape], "namespace Other; public class Unrelated { }");
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        SyntaxTree unrelated = compilation.SyntaxTrees.Last();
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(
            unrelated,
            CSharpSyntaxTree.ParseText("namespace Other; public class Unrelated { public int Added => 1; }", GeneratorHarness.ParseOptions, unrelated.FilePath));

        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        AssertAllOutputs(result, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o =>
            Assert.Contains(o.Reason, new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged }));
    }

    [Fact]
    public void An_unrelated_edit_leaves_the_throwing_body_of_a_method_with_errors_cached_too()
    {
        const string withErrors = """
            namespace Shop;
            public partial class Broken
            {
                [Breaker.CircuitBreaker("broken", Fallback = nameof(Wrong))] public partial int Get();
                private int GetCore() => 1;
                private int Wrong(double d) => 0;
            }
            """;
        CSharpCompilation compilation = GeneratorHarness.Compile(Source, withErrors, "namespace Other; public class Unrelated { }");
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        SyntaxTree unrelated = compilation.SyntaxTrees.Last();
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(
            unrelated,
            CSharpSyntaxTree.ParseText("namespace Other; public class Unrelated { public int Added => 1; }", GeneratorHarness.ParseOptions, unrelated.FilePath));

        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        Assert.NotEmpty(result.TrackedSteps[TrackingNames.UnresolvedMethods].SelectMany(s => s.Outputs));
        foreach (string? name in new[] { TrackingNames.ParsedMethods, TrackingNames.SupportedMethods, TrackingNames.UnresolvedMethods })
        {
            Assert.All(result.TrackedSteps[name].SelectMany(s => s.Outputs), o =>
                Assert.Contains(o.Reason, new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged }));
        }
    }

    [Fact]
    public void Changing_an_attribute_argument_modifies_the_model()
    {
        CSharpCompilation compilation = GeneratorHarness.Compile(Source);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        SyntaxTree tree = compilation.SyntaxTrees.Single();
        string changed = Source.Replace("TimeoutMs = 2_000", "TimeoutMs = 3_000");
        Assert.NotEqual(Source, changed);
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(changed, GeneratorHarness.ParseOptions, tree.FilePath));

        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        Assert.Equal(IncrementalStepRunReason.Modified, result.TrackedSteps[TrackingNames.SupportedMethods].Single().Outputs.Single().Reason);
        Assert.Equal(IncrementalStepRunReason.Modified, result.TrackedSteps[TrackingNames.Declarations].Single().Outputs.Single().Reason);

        // The method's file and the assembly's declarations both carry the new value.
        Assert.Equal(2, result.GeneratedSources.Length);
        Assert.All(result.GeneratedSources, s => Assert.Contains("FromMilliseconds(3000)", s.SourceText.ToString(), System.StringComparison.Ordinal));
    }

    [Fact]
    public void A_cloned_compilation_is_all_cached()
    {
        CSharpCompilation compilation = GeneratorHarness.Compile(Source);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        GeneratorRunResult result = driver.RunGenerators(compilation.Clone()).GetRunResult().Results.Single();

        // The attribute transform reads the new compilation, so it runs again; it must produce an equal model,
        // after which every later step and the source output are served from the cache.
        Assert.All(result.TrackedSteps[TrackingNames.ParsedMethods].SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Unchanged, o.Reason));
        Assert.All(result.TrackedSteps[TrackingNames.SupportedMethods].SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        var sourceOutputs = result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).ToList();
        Assert.NotEmpty(sourceOutputs);
        Assert.All(sourceOutputs, o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    private static void AssertAllOutputs(GeneratorRunResult result, params IncrementalStepRunReason[] allowed)
    {
        foreach (string name in TrackedSteps)
        {
            Assert.True(result.TrackedSteps.TryGetValue(name, out System.Collections.Immutable.ImmutableArray<IncrementalGeneratorRunStep> steps), $"step {name} was not tracked");
            var outputs = steps.SelectMany(s => s.Outputs).ToList();
            Assert.NotEmpty(outputs);
            Assert.All(outputs, o => Assert.True(allowed.Contains(o.Reason), $"{name}: {o.Reason}"));
        }
    }
}
