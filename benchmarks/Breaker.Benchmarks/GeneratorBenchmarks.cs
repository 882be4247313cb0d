using System;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using BenchmarkDotNet.Attributes;
using Breaker.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Breaker.Benchmarks;

/// <summary>
/// The generator itself: a full run over 1,000 annotated methods, the incremental run after an unrelated edit, and a full
/// run over one decorator of a 200-member interface.
/// </summary>
public class GeneratorBenchmarks
{
    public const int Methods = 1_000;
    private const int MethodsPerClass = 20;

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    /// <summary>The members of the interface the decorator benchmark decorates.</summary>
    public const int InterfaceMembers = 200;

    private CSharpCompilation _compilation = null!;
    private CSharpCompilation _decorator = null!;
    private CSharpCompilation _edited = null!;
    private GeneratorDriver _warmDriver = null!;

    [GlobalSetup]
    public void Setup()
    {
        SyntaxTree[] trees = Enumerable.Range(0, Methods / MethodsPerClass)
            .Select(i => CSharpSyntaxTree.ParseText(GuardedClass(i), ParseOptions, path: $"Guarded{i}.cs"))
            .Append(CSharpSyntaxTree.ParseText(Unrelated(0), ParseOptions, path: "Unrelated.cs"))
            .ToArray();
        ImmutableArray<MetadataReference> references =
        [
            .. Basic.Reference.Assemblies.Net100.References.All,
            MetadataReference.CreateFromFile(typeof(CircuitBreaker).Assembly.Location),
            MetadataReference.CreateFromFile(typeof(CircuitBreakerAttribute).Assembly.Location),
        ];
        _compilation = CSharpCompilation.Create(
            "Thousand",
            trees,
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        _decorator = CSharpCompilation.Create(
            "Decorator",
            [CSharpSyntaxTree.ParseText(DecoratedInterface(), ParseOptions, path: "Decorated.cs")],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        SyntaxTree unrelated = trees[^1];
        _edited = _compilation.ReplaceSyntaxTree(unrelated, CSharpSyntaxTree.ParseText(Unrelated(1), ParseOptions, path: "Unrelated.cs"));

        _warmDriver = CreateDriver().RunGenerators(_compilation);
        // One file per method, and one module initializer that declares every breaker to the registry.
        int generated = _warmDriver.GetRunResult().GeneratedTrees.Length;
        if (generated != Methods + 1)
        {
            throw new InvalidOperationException($"Expected {Methods + 1} generated files ({Methods} methods and the declarations), got {generated}.");
        }
    }

    [Benchmark(Baseline = true)]
    public GeneratorDriver FullRun_1000Methods() => CreateDriver().RunGenerators(_compilation);

    [Benchmark]
    public GeneratorDriver IncrementalRun_AfterUnrelatedEdit() => _warmDriver.RunGenerators(_edited);

    [Benchmark]
    public GeneratorDriver FullRun_Decorator_200Members() => CreateDriver().RunGenerators(_decorator);

    private static GeneratorDriver CreateDriver() =>
        CSharpGeneratorDriver.Create([new CircuitBreakerGenerator().AsSourceGenerator()], parseOptions: ParseOptions);

    private static string GuardedClass(int index)
    {
        var source = new StringBuilder();
        source.AppendLine("using System; using System.Threading; using System.Threading.Tasks; using Breaker;");
        source.AppendLine("namespace Thousand;");
        source.AppendLine($"public partial class Service{index}");
        source.AppendLine("{");
        for (int m = 0; m < MethodsPerClass; m++)
        {
            string name = $"Call{m}";
            string breaker = $"service{index}-{m % 5}";
            switch (m % 4)
            {
                case 0:
                    source.AppendLine($"    [CircuitBreaker(\"{breaker}\", Fallback = nameof({name}Fallback))] public partial int {name}(int id);");
                    source.AppendLine($"    private int {name}Core(int id) => id;");
                    source.AppendLine($"    private int {name}Fallback(int id, Exception error) => -id;");
                    break;
                case 1:
                    source.AppendLine($"    [CircuitBreaker(\"{breaker}\")] public partial Task<string> {name}(string key, CancellationToken ct);");
                    source.AppendLine($"    private Task<string> {name}Core(string key, CancellationToken ct) => Task.FromResult(key);");
                    break;
                case 2:
                    source.AppendLine($"    [CircuitBreaker(\"{breaker}\", Fallback = nameof({name}Fallback))] public partial ValueTask<int> {name}(int id, CancellationToken ct);");
                    source.AppendLine($"    private ValueTask<int> {name}Core(int id, CancellationToken ct) => new(id);");
                    source.AppendLine($"    private static int {name}Fallback() => 0;");
                    break;
                default:
                    source.AppendLine($"    [CircuitBreaker(\"{breaker}\", Ignores = new[] {{ typeof(ArgumentException) }})] public partial void {name}(ref int counter);");
                    source.AppendLine($"    private void {name}Core(ref int counter) => counter++;");
                    break;
            }
        }

        source.AppendLine("}");
        return source.ToString();
    }

    /// <summary>An interface of <see cref="InterfaceMembers"/> methods of the four shapes, and its one-line decorator.</summary>
    private static string DecoratedInterface()
    {
        var source = new StringBuilder();
        source.AppendLine("using System; using System.Threading; using System.Threading.Tasks; using Breaker;");
        source.AppendLine("namespace Decorated;");
        source.AppendLine("public interface IWide");
        source.AppendLine("{");
        for (int m = 0; m < InterfaceMembers; m++)
        {
            source.AppendLine((m % 4) switch
            {
                0 => $"    int Call{m}(int id);",
                1 => $"    Task<string> Call{m}(string key, CancellationToken ct);",
                2 => $"    ValueTask<int> Call{m}(int id, CancellationToken ct);",
                _ => $"    void Call{m}(ref int counter);",
            });
        }

        source.AppendLine("}");
        source.AppendLine("[CircuitBreaker(\"wide\")] public sealed partial class WideBreaker : IWide;");
        return source.ToString();
    }

    private static string Unrelated(int version) =>
        $"namespace Thousand; public static class Unrelated {{ public static int Version => {version}; }}";
}
