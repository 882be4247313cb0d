using System.Collections.Generic;
using System.Linq;
using Breaker.Generator.Tests.Infrastructure;

namespace Breaker.Generator.Tests;

public class SnapshotTests
{
    public static TheoryData<string> ShapeNames => new(Shapes.Supported.Keys);

    [Theory]
    [MemberData(nameof(ShapeNames))]
    public void Emitted_source_matches_the_checked_in_snapshot(string shape)
    {
        GeneratorRun run = GeneratorHarness.Run(GeneratorHarness.CompileShape(Shapes.Supported[shape]));

        Assert.Null(run.Result.Exception);
        Assert.NotEmpty(run.Result.GeneratedSources);
        Snapshot.Match(shape, GeneratorHarness.Describe(run.Result));
    }

    [Fact]
    public void Every_snapshot_file_belongs_to_a_shape()
    {
        string directory = System.IO.Path.Combine(SourceDirectory(), "Snapshots");
        IEnumerable<string> files = System.IO.Directory.GetFiles(directory, "*.verified.cs").Select(f => System.IO.Path.GetFileName(f)[..^".verified.cs".Length]);

        Assert.Equal(Shapes.Supported.Keys.Concat(Shapes.Decorators.Keys).OrderBy(k => k, System.StringComparer.Ordinal), files.OrderBy(f => f, System.StringComparer.Ordinal));
    }

    [Fact]
    public void The_documentation_shows_the_code_the_generator_writes_today()
    {
        GeneratorRun run = GeneratorHarness.Run(GeneratorHarness.CompileShape(Shapes.Supported["TaskOfTWithTokenAndTimeout"]));
        string documentation = System.IO.File.ReadAllText(System.IO.Path.Combine(SourceDirectory(), "..", "..", "docs", "generated-code.md")).Replace("\r\n", "\n");

        foreach (Microsoft.CodeAnalysis.GeneratedSourceResult source in run.Result.GeneratedSources)
        {
            Assert.Contains("File `" + source.HintName + "`:", documentation, System.StringComparison.Ordinal);
            Assert.Contains(source.SourceText.ToString().Replace("\r\n", "\n").TrimEnd(), documentation, System.StringComparison.Ordinal);
        }
    }

    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") => System.IO.Path.GetDirectoryName(path)!;
}
