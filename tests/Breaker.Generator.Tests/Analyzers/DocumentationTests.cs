using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Breaker.Generator.Analyzers;
using Breaker.Generator.Diagnostics;
using Breaker.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Breaker.Generator.Tests.Analyzers;

/// <summary>
/// Every diagnostic is documented and tracked: a page at docs/diagnostics/BRKnnnn.md whose wrong code produces the message
/// it shows and whose right code has no diagnostic, and an entry in the analyzer release files.
/// </summary>
public class DocumentationTests
{
    private static readonly string Root = FindRoot();

    public static TheoryData<string> Ids => new(DiagnosticDescriptors.All.Select(d => d.Id));

    [Fact]
    public void Ids_are_unique_consecutive_and_all_supported_by_an_analyzer()
    {
        var ids = DiagnosticDescriptors.All.Select(d => d.Id).ToList();
        Assert.Equal(Enumerable.Range(1, ids.Count).Select(i => $"BRK{i:0000}"), ids);
        IOrderedEnumerable<string> supported = new DiagnosticAnalyzer[] { new GuardedMethodAnalyzer(), new SharedBreakerAnalyzer() }
            .SelectMany(a => a.SupportedDiagnostics)
            .Select(d => d.Id)
            .OrderBy(id => id, StringComparer.Ordinal);
        Assert.Equal(ids, supported);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Each_diagnostic_is_in_the_release_files_and_links_its_page(string id)
    {
        DiagnosticDescriptor descriptor = DiagnosticDescriptors.All.Single(d => d.Id == id);
        string releases = File.ReadAllText(Path.Combine(Root, "src/Breaker.Generator/AnalyzerReleases.Shipped.md"))
            + File.ReadAllText(Path.Combine(Root, "src/Breaker.Generator/AnalyzerReleases.Unshipped.md"));

        Assert.Contains($"{id} | {descriptor.Category} | {descriptor.DefaultSeverity} |", releases);
        Assert.Equal($"https://github.com/breaker-dotnet/breaker/blob/main/docs/diagnostics/{id}.md", descriptor.HelpLinkUri);
        Assert.Contains($"[{id}]({id}.md)", File.ReadAllText(Path.Combine(Root, "docs/diagnostics/README.md")));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task Each_page_shows_the_wrong_code_its_message_and_the_right_code(string id)
    {
        DiagnosticDescriptor descriptor = DiagnosticDescriptors.All.Single(d => d.Id == id);
        string page = File.ReadAllText(Path.Combine(Root, "docs/diagnostics", id + ".md")).Replace("\r\n", "\n");
        Assert.StartsWith($"# {id}: {descriptor.Title}\n", page);

        Diagnostic[] wrong = await DiagnoseAsync(Block(page, "## Wrong code", "csharp"), LanguageVersionOf(page, "## Wrong code"));
        var messages = wrong.Where(d => d.Id == id).Select(Describe).Distinct().ToList();
        Assert.NotEmpty(messages);
        Assert.Equal(string.Join("\n", messages), Block(page, "## Message", "text"));

        Diagnostic[] right = await DiagnoseAsync(Block(page, "## Right code", "csharp"), LanguageVersionOf(page, "## Right code"));
        Assert.DoesNotContain(right, d => d.Id.StartsWith("BRK", StringComparison.Ordinal) || d.Severity == DiagnosticSeverity.Error);
    }

    private static string Describe(Diagnostic diagnostic) =>
        diagnostic.Descriptor.DefaultSeverity.ToString().ToLowerInvariant() + " " + diagnostic.Id + ": " + diagnostic.GetMessage();

    /// <summary>The page's code compiled as a user's project sees it: with the generator's output, analyzers and compiler together.</summary>
    private static async Task<Diagnostic[]> DiagnoseAsync(string code, LanguageVersion version)
    {
        CSharpCompilation compilation = GeneratorHarness.CompileShape(code);
        var options = new CSharpParseOptions(version);
        compilation = compilation.RemoveAllSyntaxTrees().AddSyntaxTrees(
            compilation.SyntaxTrees.Select(tree => tree.WithRootAndOptions(CSharpSyntaxTree.ParseText(tree.GetText(), options).GetRoot(), options)));
        GeneratorRun run = GeneratorHarness.Run(compilation);
        ImmutableArray<Diagnostic> analyzers = await run.Output
            .WithAnalyzers([new GuardedMethodAnalyzer(), new SharedBreakerAnalyzer()])
            .GetAnalyzerDiagnosticsAsync(CancellationToken.None);
        return [.. analyzers, .. run.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && d.Id != "CS8795")];
    }

    /// <summary>The C# version a section's project file sets (<c>&lt;LangVersion&gt;</c> in an xml block), else the newest.</summary>
    private static LanguageVersion LanguageVersionOf(string page, string heading)
    {
        int start = page.IndexOf("\n" + heading + "\n", StringComparison.Ordinal);
        int end = page.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        Match match = new Regex("<LangVersion>(.*?)</LangVersion>").Match(page[start..(end < 0 ? page.Length : end)]);
        Assert.True(!match.Success || LanguageVersionFacts.TryParse(match.Groups[1].Value, out _), "unknown LangVersion " + match.Groups[1].Value);
        return match.Success && LanguageVersionFacts.TryParse(match.Groups[1].Value, out LanguageVersion version) ? version : LanguageVersion.Latest;
    }

    /// <summary>The first fenced block of <paramref name="language"/> after <paramref name="heading"/>.</summary>
    private static string Block(string page, string heading, string language)
    {
        int start = page.IndexOf("\n" + heading + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "no section " + heading);
        Match match = new Regex("```" + language + "\n(.*?)\n```", RegexOptions.Singleline).Match(page, start);
        Assert.True(match.Success, "no " + language + " block in " + heading);
        return match.Groups[1].Value;
    }

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Generator.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Generator.sln not found above " + AppContext.BaseDirectory);
    }
}
