using System.IO;
using System.Linq;
using Breaker.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;

namespace Breaker.Generator.Tests;

public class CompileTests
{
    public static TheoryData<string> ShapeNames => new(Shapes.Supported.Keys);

    [Theory]
    [MemberData(nameof(ShapeNames))]
    public void Every_shape_compiles_without_a_warning_once_generated(string shape)
    {
        CSharpCompilation input = GeneratorHarness.CompileShape(Shapes.Supported[shape]);
        GeneratorRun run = GeneratorHarness.Run(input);

        Assert.Empty(run.Diagnostics);
        Assert.Equal(input.SyntaxTrees.Count() + run.Result.GeneratedSources.Length, run.Output.SyntaxTrees.Count());
        using var assembly = new MemoryStream();
        EmitResult emitted = run.Output.Emit(assembly);
        var problems = emitted.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.ToString()).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\n\n" + GeneratorHarness.Describe(run.Result));
        Assert.True(emitted.Success);
    }
}
