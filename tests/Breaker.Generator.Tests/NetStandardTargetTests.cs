using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Breaker.Generator.Analyzers;
using Breaker.Generator.Diagnostics;
using Breaker.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Emit;

namespace Breaker.Generator.Tests;

/// <summary>
/// A netstandard2.0 library that uses Breaker: generated code compiles against netstandard2.0's reference assemblies and
/// Breaker's netstandard2.0 build, warning-free, from C# 9 on; below it the generator writes nothing and BRK0032 says
/// which LangVersion to set.
/// </summary>
public class NetStandardTargetTests
{
    // What a netstandard2.0 project declares (or gets from PolySharp) to use init accessors and records itself.
    private const string IsExternalInit = "namespace System.Runtime.CompilerServices { internal static class IsExternalInit { } }";

    // netstandard2.0 has no nullable-flow attributes: a project that uses them declares them itself (or PolySharp does),
    // internal, and the compiler knows them by name.
    private const string NullabilityPolyfill = """
        namespace System.Diagnostics.CodeAnalysis
        {
            [AttributeUsage(AttributeTargets.Parameter)]
            internal sealed class NotNullWhenAttribute : Attribute
            {
                public NotNullWhenAttribute(bool returnValue) => ReturnValue = returnValue;

                public bool ReturnValue { get; }
            }

            [AttributeUsage(AttributeTargets.Parameter)]
            internal sealed class MaybeNullWhenAttribute : Attribute
            {
                public MaybeNullWhenAttribute(bool returnValue) => ReturnValue = returnValue;

                public bool ReturnValue { get; }
            }

            [AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property | AttributeTargets.ReturnValue)]
            internal sealed class MaybeNullAttribute : Attribute
            {
            }

            [AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property | AttributeTargets.ReturnValue)]
            internal sealed class NotNullAttribute : Attribute
            {
            }

            [AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property | AttributeTargets.ReturnValue, AllowMultiple = true)]
            internal sealed class NotNullIfNotNullAttribute : Attribute
            {
                public NotNullIfNotNullAttribute(string parameterName) => ParameterName = parameterName;

                public string ParameterName { get; }
            }

            [AttributeUsage(AttributeTargets.Method)]
            internal sealed class DoesNotReturnAttribute : Attribute
            {
            }
        }
        """;

    private static readonly MetadataReference[] References = LoadReferences();

    // "scoped" and "ref readonly" parameters need ref fields, which the netstandard2.0 runtime cannot promise (an error in
    // the user's own declaration); every other shape is taken as it is.
    public static TheoryData<string> ShapeNames => new(Shapes.Supported.Keys.Where(name => name != "SpanParameters"));

    [Theory]
    [MemberData(nameof(ShapeNames))]
    public void Every_shape_compiles_for_netstandard2_0_with_warnings_as_errors(string shape)
    {
        AssertCompiles(Compile(LanguageVersion.Latest, Shapes.Usings + Shapes.Supported[shape], NullabilityPolyfill, IsExternalInit));
    }

    [Fact]
    public void The_generated_code_compiles_with_CSharp_9_the_oldest_version_it_supports()
    {
        const string Source = Shapes.Usings + """
            namespace Library
            {
                public partial class Quotes
                {
                    [CircuitBreaker("quotes", Fallback = nameof(Cached), TimeoutMs = 500, Handles = new[] { typeof(IOException) })]
                    public partial Task<decimal> PriceAsync(string sku, CancellationToken cancellationToken);

                    private Task<decimal> PriceAsyncCore(string sku, CancellationToken cancellationToken) => Task.FromResult(1m);

                    private decimal Cached(string sku, CancellationToken cancellationToken, Exception error) => 0m;

                    [CircuitBreaker("stock", TimeoutMs = 500)]
                    internal partial ValueTask<int> StockAsync(string sku);

                    private ValueTask<int> StockAsyncCore(string sku) => new ValueTask<int>(3);

                    [CircuitBreaker("reserve")]
                    public partial bool TryReserve(string sku, out int left);

                    private bool TryReserveCore(string sku, out int left)
                    {
                        left = 1;
                        return true;
                    }

                    [CircuitBreaker("tenants", Key = nameof(tenant))]
                    public partial Task SyncAsync(string tenant);

                    private Task SyncAsyncCore(string tenant) => Task.CompletedTask;
                }
            }
            """;
        AssertCompiles(Compile(LanguageVersion.CSharp9, Source));
    }

    [Fact]
    public void Netstandard2_0_code_takes_the_task_status_and_Microsoft_Bcl_TimeProvider_and_no_module_initializer()
    {
        GeneratorRun run = Run(Compile(LanguageVersion.Latest, Shapes.Usings + Shapes.Supported["TaskOfTWithTokenAndTimeout"]));
        string code = GeneratorHarness.Describe(run.Result);

        Assert.Contains("global::System.Threading.Tasks.TimeProviderTaskExtensions.CreateCancellationTokenSource(", code);
        Assert.Contains(".Status == global::System.Threading.Tasks.TaskStatus.RanToCompletion", code);
        Assert.DoesNotContain("new global::System.Threading.CancellationTokenSource(", code);
        Assert.DoesNotContain("ModuleInitializer", code);
    }

    // Before .NET 8 CancelAfter runs on the system clock whatever TimeProvider made the source: a stream's per-step
    // timeout is a timer of the breaker's TimeProvider there, or a FakeTimeProvider (or a test clock) would never fire it.
    [Fact]
    public void Netstandard2_0_async_streams_time_each_step_with_a_timer_of_the_breakers_clock()
    {
        GeneratorRun run = Run(Compile(LanguageVersion.Latest, Shapes.Usings + Shapes.Supported["AsyncStreamsWithFallbackTimeoutAndStatic"]));
        string code = GeneratorHarness.Describe(run.Result);

        Assert.Contains(".TimeProvider.CreateTimer(", code);
        Assert.Contains("timeoutTimer?.Change(timeout, global::System.Threading.Timeout.InfiniteTimeSpan);", code);
        Assert.Contains("timeoutTimer?.Dispose();", code);
        Assert.DoesNotContain("CancelAfter", code);
    }

    // The decorator repeats the nullable-flow attributes, named by namespace, which binds to the project's own polyfill.
    [Fact]
    public void A_decorator_repeats_nullability_attributes_a_netstandard2_0_project_declares_itself()
    {
        const string Source = Shapes.Usings + """
            using System.Diagnostics.CodeAnalysis;

            namespace Library
            {
                public interface ISettings<T>
                {
                    bool TryRead(string name, [NotNullWhen(true)] out string? value);

                    [return: MaybeNull]
                    T Read(string name);
                }

                [CircuitBreaker("settings")]
                public sealed partial class SettingsBreaker<T> : ISettings<T>;
            }
            """;
        CSharpCompilation input = Compile(LanguageVersion.Latest, Source, NullabilityPolyfill, IsExternalInit);
        AssertCompiles(input);
        string code = GeneratorHarness.Describe(Run(input).Result);

        Assert.Contains("[global::System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value", code, StringComparison.Ordinal);
        Assert.Contains("[return: global::System.Diagnostics.CodeAnalysis.MaybeNull]", code, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CSharp_7_3_gets_no_code_and_BRK0032_on_each_guarded_method()
    {
        const string Source = Shapes.Usings + """
            public partial class Inventory
            {
                [CircuitBreaker("inventory")]
                partial void Reserve(string sku);

                private void ReserveCore(string sku) => Console.WriteLine(sku);
            }
            """;
        GeneratorRun run = Run(Compile(LanguageVersion.CSharp7_3, Source));

        Assert.Empty(run.Result.GeneratedSources);
        ImmutableArray<Diagnostic> diagnostics = await run.Output
            .WithAnalyzers([new GuardedMethodAnalyzer(), new SharedBreakerAnalyzer()])
            .GetAnalyzerDiagnosticsAsync(CancellationToken.None);
        Diagnostic diagnostic = Assert.Single(diagnostics);
        Assert.Equal(DiagnosticDescriptors.LanguageVersionTooLow.Id, diagnostic.Id);
        Assert.Contains("the project compiles C# 7.3", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Contains("<LangVersion>9.0</LangVersion>", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    private static void AssertCompiles(CSharpCompilation input)
    {
        GeneratorRun run = Run(input);

        Assert.Empty(run.Diagnostics);
        Assert.NotEmpty(run.Result.GeneratedSources);
        using var assembly = new MemoryStream();
        EmitResult emitted = run.Output.Emit(assembly);
        var problems = emitted.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.ToString()).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\n\n" + GeneratorHarness.Describe(run.Result));
        Assert.True(emitted.Success);
    }

    // The driver parses generated code with the project's C# version, as the compiler does.
    private static GeneratorRun Run(CSharpCompilation compilation)
    {
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
                [new CircuitBreakerGenerator().AsSourceGenerator()],
                parseOptions: (CSharpParseOptions)compilation.SyntaxTrees.First().Options)
            .RunGeneratorsAndUpdateCompilation(compilation, out Compilation? output, out ImmutableArray<Diagnostic> diagnostics);
        return new GeneratorRun(driver, driver.GetRunResult().Results.Single(), output, diagnostics);
    }

    private static CSharpCompilation Compile(LanguageVersion version, params string[] sources) =>
        CSharpCompilation.Create(
            "NetStandardLibrary",
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(version), path: $"Source{i}.cs")),
            References,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                generalDiagnosticOption: ReportDiagnostic.Error));

    private static MetadataReference[] LoadReferences()
    {
        string Metadata(string key) => typeof(NetStandardTargetTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
        IEnumerable<string> files = Directory.GetFiles(Metadata("NetStandardLibrary"), "*.dll")
            .Concat(Directory.GetFiles(Metadata("NetStandardReferences"), "*.dll").Where(f => !f.EndsWith("Breaker.NetStandardReferences.dll", StringComparison.Ordinal)));
        return files.Select(f => (MetadataReference)MetadataReference.CreateFromFile(f)).ToArray();
    }
}
