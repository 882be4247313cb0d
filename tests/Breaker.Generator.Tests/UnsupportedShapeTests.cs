using System.Linq;
using System.Threading;
using Breaker.Generator.Model;
using Breaker.Generator.Parsing;
using Breaker.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Breaker.Generator.Tests;

/// <summary>Methods the generator cannot implement: no code, no crash, and the parser says why (the analyzers report it).</summary>
public class UnsupportedShapeTests
{
    public static TheoryData<string, string, string> Cases => new()
    {
        { "RefReturn", nameof(ParseFailureReason.RefReturn), """
            public partial class C
            {
                private int _value;
                [CircuitBreaker("b")] public partial ref int Get();
                private ref int GetCore() => ref _value;
            }
            """ },
        { "AsyncEnumerator", nameof(ParseFailureReason.AsyncEnumerator), """
            public partial class C
            {
                [CircuitBreaker("b")] public partial IAsyncEnumerator<int> Stream();
                private IAsyncEnumerator<int> StreamCore() => throw new NotSupportedException();
            }
            """ },
        { "AsyncStreamOnStruct", nameof(ParseFailureReason.AsyncStreamOnStruct), """
            public partial struct C
            {
                [CircuitBreaker("b")] public partial IAsyncEnumerable<int> Stream();
                private IAsyncEnumerable<int> StreamCore() => throw new NotSupportedException();
            }
            """ },
        { "AsyncWithRefParameter", nameof(ParseFailureReason.AsyncByRefParameter), """
            public partial class C
            {
                [CircuitBreaker("b")] public partial Task<int> GetAsync(ref int position);
                private Task<int> GetAsyncCore(ref int position) => Task.FromResult(position);
            }
            """ },
        { "AsyncWithSpanParameter", nameof(ParseFailureReason.AsyncByRefParameter), """
            public partial class C
            {
                [CircuitBreaker("b")] public partial Task<int> GetAsync(ReadOnlySpan<byte> data);
                private Task<int> GetAsyncCore(ReadOnlySpan<byte> data) => Task.FromResult(data.Length);
            }
            """ },
        { "AsyncOnRefStruct", nameof(ParseFailureReason.AsyncMethodOnRefStruct), """
            public ref partial struct C
            {
                [CircuitBreaker("b")] public partial Task GetAsync();
                private Task GetAsyncCore() => Task.CompletedTask;
            }
            """ },
        { "PointerParameter", nameof(ParseFailureReason.PointerType), """
            public unsafe partial class C
            {
                [CircuitBreaker("b")] public partial int Read(byte* data);
                private int ReadCore(byte* data) => *data;
            }
            """ },
        { "NotPartial", nameof(ParseFailureReason.NotPartialDefinition), """
            public partial class C
            {
                [CircuitBreaker("b")] public int Get() => 1;
            }
            """ },
        { "AlreadyImplemented", nameof(ParseFailureReason.NotPartialDefinition), """
            public partial class C
            {
                [CircuitBreaker("b")] public partial int Get();
                public partial int Get() => 1;
            }
            """ },
        { "ContainingTypeNotPartial", nameof(ParseFailureReason.ContainingTypeNotPartial), """
            public class Outer
            {
                public partial class C
                {
                    [CircuitBreaker("b")] public partial int Get();
                    private int GetCore() => 1;
                }
            }
            """ },
        { "Interface", nameof(ParseFailureReason.UnsupportedContainingType), """
            public partial interface C
            {
                [CircuitBreaker("b")] public partial int Get();
            }
            """ },
        { "EmptyName", nameof(ParseFailureReason.MissingBreakerName), """
            public partial class C
            {
                [CircuitBreaker(" ")] public partial int Get();
                private int GetCore() => 1;
            }
            """ },
        { "MissingImplementation", nameof(ParseFailureReason.ImplementationNotFound), """
            public partial class C
            {
                [CircuitBreaker("b")] public partial int Get();
            }
            """ },
        { "ImplementationWrongReturn", nameof(ParseFailureReason.ImplementationSignatureMismatch), """
            public partial class C
            {
                [CircuitBreaker("b")] public partial int Get(string key);
                private long GetCore(string key) => 1;
            }
            """ },
        { "ImplementationWrongRefKind", nameof(ParseFailureReason.ImplementationSignatureMismatch), """
            public partial class C
            {
                [CircuitBreaker("b")] public partial int Get(ref int key);
                private int GetCore(int key) => key;
            }
            """ },
        { "ImplementationWithStricterConstraint", nameof(ParseFailureReason.ImplementationSignatureMismatch), """
            public partial class C
            {
                [CircuitBreaker("b")] public partial T? Get<T>() where T : class?;
                private T? GetCore<T>() where T : class, new() => new T();
            }
            """ },
        { "ImplementationWithNonNullConstraint", nameof(ParseFailureReason.ImplementationSignatureMismatch), """
            public partial class C
            {
                [CircuitBreaker("b")] public partial T? Get<T>() where T : class?;
                private T? GetCore<T>() where T : class => null;
            }
            """ },
        { "StaticWithInstanceImplementation", nameof(ParseFailureReason.ImplementationNotStatic), """
            public partial class C
            {
                [CircuitBreaker("b")] public static partial int Get();
                private int GetCore() => 1;
            }
            """ },
        { "MissingFallback", nameof(ParseFailureReason.FallbackNotFound), """
            public partial class C
            {
                [CircuitBreaker("b", Fallback = "Nope")] public partial int Get();
                private int GetCore() => 1;
            }
            """ },
        { "FallbackWrongParameters", nameof(ParseFailureReason.FallbackSignatureMismatch), """
            public partial class C
            {
                [CircuitBreaker("b", Fallback = nameof(Other))] public partial int Get(string key);
                private int GetCore(string key) => 1;
                private int Other(int key) => 0;
            }
            """ },
        { "FallbackWrongReturn", nameof(ParseFailureReason.FallbackReturnTypeMismatch), """
            public partial class C
            {
                [CircuitBreaker("b", Fallback = nameof(Other))] public partial Task<int> GetAsync();
                private Task<int> GetAsyncCore() => Task.FromResult(1);
                private Task<long> Other() => Task.FromResult(0L);
            }
            """ },
        { "OutFallbackWithoutOut", nameof(ParseFailureReason.FallbackSignatureMismatch), """
            public partial class C
            {
                [CircuitBreaker("b", Fallback = nameof(Other))] public partial bool TryGet(out int value);
                private bool TryGetCore(out int value) { value = 1; return true; }
                private bool Other(int value) => false;
            }
            """ },
        { "StaticWithInstanceFallback", nameof(ParseFailureReason.FallbackNotStatic), """
            public partial class C
            {
                [CircuitBreaker("b", Fallback = nameof(Other))] public static partial int Get();
                private static int GetCore() => 1;
                private int Other() => 0;
            }
            """ },
        { "MissingPredicate", nameof(ParseFailureReason.FailureWhenNotFound), """
            public partial class C
            {
                [CircuitBreaker("b", FailureWhen = "Nope")] public partial int Get();
                private int GetCore() => 1;
            }
            """ },
        { "PredicateWrongType", nameof(ParseFailureReason.FailureWhenSignatureMismatch), """
            public partial class C
            {
                [CircuitBreaker("b", FailureWhen = nameof(IsBad))] public partial int Get();
                private int GetCore() => 1;
                private static bool IsBad(string value) => false;
            }
            """ },
        { "PredicateOnVoid", nameof(ParseFailureReason.FailureWhenWithoutResult), """
            public partial class C
            {
                [CircuitBreaker("b", FailureWhen = nameof(IsBad))] public partial Task RunAsync();
                private Task RunAsyncCore() => Task.CompletedTask;
                private static bool IsBad(object value) => false;
            }
            """ },
        { "StaticWithInstancePredicate", nameof(ParseFailureReason.FailureWhenNotStatic), """
            public partial class C
            {
                [CircuitBreaker("b", FailureWhen = nameof(IsBad))] public static partial int Get();
                private static int GetCore() => 1;
                private bool IsBad(int value) => false;
            }
            """ },
        { "HandlesNonException", nameof(ParseFailureReason.InvalidExceptionType), """
            public partial class C
            {
                [CircuitBreaker("b", Handles = new[] { typeof(string) })] public partial int Get();
                private int GetCore() => 1;
            }
            """ },
        { "IgnoresOpenGeneric", nameof(ParseFailureReason.InvalidExceptionType), """
            public class Failure<T> : Exception { }
            public partial class C
            {
                [CircuitBreaker("b", Ignores = new[] { typeof(Failure<>) })] public partial int Get();
                private int GetCore() => 1;
            }
            """ },
    };

    /// <summary>Failures in what the attribute names or sets: the declaration is sound, so the method gets a body that throws.</summary>
    private static readonly string[] ResolutionReasons =
    [
        nameof(ParseFailureReason.MissingBreakerName),
        nameof(ParseFailureReason.ImplementationNotFound),
        nameof(ParseFailureReason.ImplementationSignatureMismatch),
        nameof(ParseFailureReason.ImplementationNotStatic),
        nameof(ParseFailureReason.FallbackNotFound),
        nameof(ParseFailureReason.FallbackSignatureMismatch),
        nameof(ParseFailureReason.FallbackReturnTypeMismatch),
        nameof(ParseFailureReason.FallbackNotStatic),
        nameof(ParseFailureReason.FailureWhenNotFound),
        nameof(ParseFailureReason.FailureWhenSignatureMismatch),
        nameof(ParseFailureReason.FailureWhenNotStatic),
        nameof(ParseFailureReason.FailureWhenWithoutResult),
        nameof(ParseFailureReason.InvalidExceptionType),
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Generates_no_breaker_and_reports_the_reason(string name, string reason, string source)
    {
        CSharpCompilation compilation = GeneratorHarness.CompileShape(source);
        GeneratorRun run = GeneratorHarness.Run(compilation);

        Assert.Null(run.Result.Exception);
        Assert.DoesNotContain(run.Diagnostics, d => d.Id == "CS8785");
        ParseFailure? failure = ParseFirstGuardedMethod(compilation).Failure;
        Assert.True(failure is not null, name);
        Assert.Equal(reason, failure!.Reason.ToString());
        Assert.DoesNotContain(run.Result.GeneratedSources, s => s.SourceText.ToString().Contains("CircuitBreakerRegistry"));
        if (ResolutionReasons.Contains(reason))
        {
            // The throwing body keeps the compiler from reporting CS8795 ("no implementation part") instead of the Breaker error.
            string stub = Assert.Single(run.Result.GeneratedSources).SourceText.ToString();
            Assert.Contains("throw new global::System.InvalidOperationException(", stub);
            Assert.DoesNotContain(run.Output.GetDiagnostics(), d => d.Id == "CS8795");
        }
        else
        {
            Assert.Empty(run.Result.GeneratedSources);
        }
    }

    [Fact]
    public void A_method_whose_fallback_does_not_fit_gets_a_body_that_throws()
    {
        GeneratorRun run = GeneratorHarness.Run(GeneratorHarness.CompileShape("""
            namespace Shop;
            public partial class C
            {
                [CircuitBreaker("b", Fallback = nameof(Other))] public partial int Get(string sku, out int count);
                private int GetCore(string sku, out int count) { count = 1; return 1; }
                private int Other(double wrong) => 0;
            }
            """));

        Assert.Equal(
            """
            // <auto-generated/>
            #nullable enable

            namespace Shop
            {
                partial class C
                {
                    public partial int Get(string sku, out int count)
                    {
                        throw new global::System.InvalidOperationException("[CircuitBreaker] on Get has errors (see the BRK diagnostics), so no circuit breaker was generated for it.");
                    }
                }
            }

            """.Replace("\r\n", "\n"),
            Assert.Single(run.Result.GeneratedSources).SourceText.ToString().Replace("\r\n", "\n"));
        Assert.Empty(run.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    [Fact]
    public void A_supported_method_parses_without_a_failure()
    {
        CSharpCompilation compilation = GeneratorHarness.CompileShape(Shapes.Supported["SyncValueWithExceptionFallback"]);

        Resolution<GuardedMethodModel> parsed = ParseFirstGuardedMethod(compilation);

        Assert.Null(parsed.Failure);
        Assert.Equal("quotes", parsed.Value!.Breaker.Name);
    }

    private static Resolution<Model.GuardedMethodModel> ParseFirstGuardedMethod(Compilation compilation)
    {
        IMethodSymbol method = compilation.SyntaxTrees
            .SelectMany(t => t.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>()
                .Select(m => compilation.GetSemanticModel(t).GetDeclaredSymbol(m)!))
            .First(m => m.GetAttributes().Any(a => a.AttributeClass?.Name == "CircuitBreakerAttribute"));
        AttributeData attribute = method.GetAttributes().Single(a => a.AttributeClass?.Name == "CircuitBreakerAttribute");
        return ParserHarness.Parse(method, attribute, compilation);
    }
}
