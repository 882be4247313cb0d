using System;
using System.Linq;
using Breaker.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Breaker.Generator.Tests;

/// <summary>Broken, half-typed code (what an IDE feeds the generator on every keystroke) must never crash it.</summary>
public class FuzzTests
{
    private const int Iterations = 600;

    /// <summary>CS8795: a partial method with accessibility modifiers has no implementation (the generator's job, or a method it skips).</summary>
    private const string MissingPartialImplementation = "CS8795";

    private static readonly string[] Fragments =
    [
        "(", ")", "{", "}", "<", ">", ",", ";", "\"", "ref ", "out ", "in ", "params ", "this ", "static ", "async ", "partial ",
        "public ", "private ", "Task<", "ValueTask<", "[CircuitBreaker(\"x\")]", "[CircuitBreaker(", "Fallback = ", "nameof(",
        "typeof(int)", "int ", "void ", "T", "where T : ", "class ", "struct ", "record ", "Exception e", "CancellationToken ct",
        "= default", "?", "*", "ref readonly ", "scoped ", "=> 1;", "new[] { typeof(", "Core", "global::", "#if X\n", "//",
    ];

    /// <summary>Edits that keep the code parseable but change its meaning, so many mutants reach the parser's checks.</summary>
    private static readonly (string From, string To)[] Rewrites =
    [
        ("Task<", "ValueTask<"), ("ValueTask<", "Task<"), ("Task ", "ValueTask "), ("Exception error", "IOException error"),
        ("Exception error", "InvalidOperationException error"), ("public partial", "internal partial"), ("public partial", "public static partial"),
        ("private ", "private static "), ("static ", ""), ("string ", "string? "), ("int ", "long "), ("(string ", "(string? "),
        ("Fallback = ", "FailureWhen = "), ("Fallback = ", "Implementation = "), ("FailureWhen = ", "Fallback = "),
        ("CancellationToken cancellationToken", "CancellationToken cancellationToken = default"), ("ref ", "in "), ("out ", "ref "),
        ("typeof(IOException)", "typeof(string)"), ("0.5", "2"), ("partial class", "partial record"), ("partial struct", "partial record struct"),
        ("Core(", "Other("), ("where TItem : class, new()", "where TItem : class"), ("params ", ""), ("=> new(", "=> throw null!; // ("),
    ];

    [Fact]
    public void Random_truncations_and_mutations_never_crash_the_generator()
    {
        var random = new Random(20261127);
        string[] sources = Shapes.Supported.Values.ToArray();
        int generatedFiles = 0;
        int validInputs = 0;
        for (int i = 0; i < Iterations; i++)
        {
            string source = Shapes.Usings + Mutate(sources[random.Next(sources.Length)], random);


            CSharpCompilation input = GeneratorHarness.Compile(source);
            GeneratorRun run = GeneratorHarness.Run(input);

            Assert.True(run.Result.Exception is null, $"iteration {i}: {run.Result.Exception}\n{source}");
            Assert.DoesNotContain(run.Diagnostics, d => d.Id == "CS8785");
            foreach (GeneratedSourceResult generated in run.Result.GeneratedSources)
            {
                generatedFiles++;
                var syntaxErrors = generated.SyntaxTree.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
                Assert.True(syntaxErrors.Count == 0, $"iteration {i}: {string.Join("\n", syntaxErrors)}\n{source}\n{generated.SourceText}");
            }

            // When the user's code is valid apart from the bodies the generator writes, the result must compile cleanly.
            if (input.GetDiagnostics().All(d => d.Severity != DiagnosticSeverity.Error || d.Id == MissingPartialImplementation))
            {
                validInputs++;
                var errors = run.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && d.Id != MissingPartialImplementation).ToList();
                Assert.True(errors.Count == 0, $"iteration {i}: {string.Join("\n", errors)}\n{source}\n{GeneratorHarness.Describe(run.Result)}");
            }
        }

        Assert.True(validInputs > 20, $"only {validInputs} mutations were valid code: too few to check that generated code compiles");
        Assert.True(generatedFiles > Iterations / 4, $"only {generatedFiles} files were generated: the mutations are too destructive to test much");
    }

    internal static string Mutate(string source, Random random)
    {
        int mutations = random.Next(1, 4);
        for (int m = 0; m < mutations && source.Length > 0; m++)
        {
            int position = random.Next(source.Length);
            source = random.Next(7) switch
            {
                0 => source[..position],
                1 => source.Remove(position, Math.Min(random.Next(1, 40), source.Length - position)),
                2 => source.Insert(position, Fragments[random.Next(Fragments.Length)]),
                3 => source.Insert(position, source.Substring(position, Math.Min(random.Next(1, 60), source.Length - position))),
                4 => ReplaceWord(source, random),
                _ => Rewrite(source, random),
            };
        }

        return source;
    }

    private static string Rewrite(string source, Random random)
    {
        (string? from, string? to) = Rewrites[random.Next(Rewrites.Length)];
        int at = source.IndexOf(from, random.Next(source.Length), StringComparison.Ordinal);
        at = at < 0 ? source.IndexOf(from, StringComparison.Ordinal) : at;
        return at < 0 ? source : source.Remove(at, from.Length).Insert(at, to);
    }

    private static string ReplaceWord(string source, Random random)
    {
        string[] words = source.Split([' ', '\n', '(', ')', ','], StringSplitOptions.RemoveEmptyEntries).Distinct().ToArray();
        string word = words[random.Next(words.Length)];
        return source.Replace(word, Fragments[random.Next(Fragments.Length)].Trim());
    }
}
