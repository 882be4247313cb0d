using System.Threading.Tasks;
using Breaker.Generator.Diagnostics;
using Verify = Breaker.Generator.Tests.Infrastructure.AnalyzerVerifier<Breaker.Generator.Analyzers.GuardedMethodAnalyzer>;

namespace Breaker.Generator.Tests.Analyzers;

/// <summary>BRK0004-BRK0016: the members and types the attribute names.</summary>
public class ResolutionDiagnosticsTests
{
    [Fact]
    public Task A_missing_implementation_names_the_expected_signature() => Verify.VerifyAsync(
        """
        public partial class C
        {
            [CircuitBreaker("b")] public static partial Task<string?> {|#0:GetAsync|}<T>(ref int {|#1:position|}, string? key) where T : class;
        }
        """,
        Verify.Diagnostic(DiagnosticDescriptors.ImplementationNotFound).WithLocation(0)
            .WithArguments("GetAsyncCore", "GetAsync", "private static Task<string?> GetAsyncCore<T>(ref int position, string? key)"),
        Verify.Diagnostic(DiagnosticDescriptors.UnsupportedMethod).WithLocation(1).WithArguments("GetAsync", "parameter 'position' is by reference or a ref struct, which an async call cannot keep across an await"));

    [Fact]
    public Task A_named_implementation_is_reported_at_the_argument() => Verify.VerifyAsync(
        """
        public partial class C
        {
            [CircuitBreaker("b", {|#0:Implementation = "Work"|})] public partial int Get(string key);
            private long Work(string key) => 1;
        }
        """,
        Verify.Diagnostic(DiagnosticDescriptors.ImplementationSignatureMismatch).WithLocation(0).WithArguments("Work", "Get", "int Work(string key)"));

    [Fact]
    public Task An_instance_implementation_of_a_static_method() => Verify.VerifyAsync(
        """
        public partial class C
        {
            [CircuitBreaker("b")] public static partial int {|#0:Get|}();
            private int GetCore() => 1;
        }
        """,
        Verify.Diagnostic(DiagnosticDescriptors.MemberNotStatic).WithLocation(0).WithArguments("implementation", "GetCore", "Get"));

    [Fact]
    public Task A_missing_fallback_lists_the_accepted_shapes_of_a_synchronous_method() => Verify.VerifyAsync(
        """
        public partial class C
        {
            [CircuitBreaker("b", {|#0:Fallback = "Cached"|})] public partial decimal? Get(string sku, out int count);
            private decimal? GetCore(string sku, out int count) { count = 0; return null; }
        }
        """,
        Verify.Diagnostic(DiagnosticDescriptors.FallbackNotFound).WithLocation(0).WithArguments(
            "Cached",
            "Get",
            "'decimal? Cached()', 'decimal? Cached(string sku, out int count)', 'decimal? Cached(string sku, out int count, Exception error)' or 'decimal? Cached(Exception error)'"));

    [Fact]
    public Task A_fallback_that_fits_no_shape_lists_the_shapes_of_an_async_method() => Verify.VerifyAsync(
        """
        public partial class C
        {
            [CircuitBreaker("b", {|#0:Fallback = nameof(Cached)|})] public static partial Task<List<string>> GetAsync(int page, CancellationToken ct);
            private static Task<List<string>> GetAsyncCore(int page, CancellationToken ct) => Task.FromResult(new List<string>());
            private static List<string> Cached(string page) => new();
        }
        """,
        Verify.Diagnostic(DiagnosticDescriptors.FallbackSignatureMismatch).WithLocation(0).WithArguments(
            "Cached",
            "GetAsync",
            "'static Cached()', 'static Cached(int page, CancellationToken ct)', 'static Cached(int page, CancellationToken ct, Exception error)' or 'static Cached(Exception error)', returning 'List<string>', 'Task<List<string>>' or 'ValueTask<List<string>>'"));

    [Fact]
    public Task A_fallback_that_is_a_property() => Verify.VerifyAsync(
        """
        public partial class C
        {
            [CircuitBreaker("b", {|#0:Fallback = nameof(Cached)|})] public partial int Get();
            private int GetCore() => 1;
            private int Cached => 0;
        }
        """,
        Verify.Diagnostic(DiagnosticDescriptors.FallbackNotMethod).WithLocation(0).WithArguments("Cached", "Get", "property"));

    [Fact]
    public Task Two_fallbacks_that_take_every_failure_are_ambiguous() => Verify.VerifyAsync(
        """
        public partial class C
        {
            [CircuitBreaker("b", {|#0:Fallback = nameof(Cached)|})] public partial int Get(string key);
            private int GetCore(string key) => 1;
            private int Cached() => 0;
            private int Cached(string key, Exception error) => 0;
        }
        """,
        Verify.Diagnostic(DiagnosticDescriptors.FallbackAmbiguous).WithLocation(0).WithArguments("Get", "int Cached()", "int Cached(string key, Exception error)"));

    [Fact]
    public Task Two_fallbacks_for_one_exception_type_are_ambiguous() => Verify.VerifyAsync(
        """
        public partial class C
        {
            [CircuitBreaker("b", {|BRK0008:Fallback = nameof(Cached)|})] public partial int Get(string key);
            private int GetCore(string key) => 1;
            private int Cached(IOException error) => 0;
            private int Cached(string key, IOException error) => 0;
        }
        """);

    [Fact]
    public Task Fallbacks_for_different_exception_types_are_not_ambiguous() => Verify.VerifyAsync(
        """
        public partial class C
        {
            [CircuitBreaker("b", Fallback = nameof(Cached))] public partial Task<int> GetAsync(string key);
            private Task<int> GetAsyncCore(string key) => Task.FromResult(1);
            private int Cached(IOException error) => 0;
            private ValueTask<int> Cached(string key, FileNotFoundException error) => new(0);
            private Task<int> Cached(string key) => Task.FromResult(0);
            private int Cached(int unrelated, string overload) => 0;
        }
        """);

    [Fact]
    public Task An_overridden_or_hidden_base_fallback_is_not_ambiguous() => Verify.VerifyAsync(
        """
        public abstract class Base
        {
            protected virtual int Cached() => 0;
            protected int Cached(IOException error) => 0;
        }

        public partial class C : Base
        {
            [CircuitBreaker("b", Fallback = nameof(Cached))] public partial int Get();
            private int GetCore() => 1;
            protected override int Cached() => 1;
            protected new int Cached(IOException error) => 1;
        }
        """);

    [Fact]
    public Task A_stream_fallback_must_return_the_same_stream_type() => Verify.VerifyAsync(
        """
        public partial class C
        {
            [CircuitBreaker("b", {|#0:Fallback = nameof(Empty)|})] public partial IAsyncEnumerable<int> StreamAsync(int page);
            private IAsyncEnumerable<int> StreamAsyncCore(int page) => throw new NotSupportedException();
            private IAsyncEnumerable<long> Empty(int page) => throw new NotSupportedException();
        }
        """,
        Verify.Diagnostic(DiagnosticDescriptors.FallbackReturnTypeMismatch).WithLocation(0)
            .WithArguments("IAsyncEnumerable<long> Empty(int page)", "IAsyncEnumerable<long>", "StreamAsync", "'IAsyncEnumerable<int>'"));

    [Fact]
    public Task A_fallback_that_returns_the_wrong_type() => Verify.VerifyAsync(
        """
        public partial class C
        {
            [CircuitBreaker("b", {|#0:Fallback = nameof(Cached)|})] public partial Task<int> GetAsync();
            private Task<int> GetAsyncCore() => Task.FromResult(1);
            private int Cached() => 0;
            private Task<long> Cached(IOException error) => Task.FromResult(0L);
        }
        """,
        Verify.Diagnostic(DiagnosticDescriptors.FallbackReturnTypeMismatch).WithLocation(0)
            .WithArguments("Task<long> Cached(IOException error)", "Task<long>", "GetAsync", "'int', 'Task<int>' or 'ValueTask<int>'"));

    [Fact]
    public Task An_instance_fallback_of_a_static_method() => Verify.VerifyAsync(
        """
        public partial class C
        {
            [CircuitBreaker("b", {|#0:Fallback = nameof(Cached)|})] public static partial void Run();
            private static void RunCore() { }
            private void Cached(Exception error) { }
        }
        """,
        Verify.Diagnostic(DiagnosticDescriptors.MemberNotStatic).WithLocation(0).WithArguments("fallback", "void Cached(Exception error)", "Run"));

    [Fact]
    public Task A_missing_predicate() => Verify.VerifyAsync(
        """
        public partial class C
        {
            [CircuitBreaker("b", {|#0:FailureWhen = "IsBad"|})] public partial ValueTask<string> GetAsync();
            private ValueTask<string> GetAsyncCore() => new("x");
        }
        """,
        Verify.Diagnostic(DiagnosticDescriptors.FailureWhenNotFound).WithLocation(0).WithArguments("IsBad", "GetAsync", "string"));

    [Fact]
    public Task A_predicate_with_the_wrong_signature() => Verify.VerifyAsync(
        """
        public partial class C
        {
            [CircuitBreaker("b", {|#0:FailureWhen = nameof(IsBad)|})] public partial int Get();
            private int GetCore() => 1;
            private static int IsBad(int value) => value;
        }
        """,
        Verify.Diagnostic(DiagnosticDescriptors.FailureWhenSignatureMismatch).WithLocation(0).WithArguments("IsBad", "Get", "int"));

    [Fact]
    public Task An_instance_predicate_of_a_static_method() => Verify.VerifyAsync(
        """
        public partial class C
        {
            [CircuitBreaker("b", {|BRK0011:FailureWhen = nameof(IsBad)|})] public static partial int Get();
            private static int GetCore() => 1;
            private bool IsBad(int value) => false;
        }
        """);

    [Fact]
    public Task A_predicate_on_a_method_without_a_result() => Verify.VerifyAsync(
        """
        public partial class C
        {
            [CircuitBreaker("b", {|#0:FailureWhen = nameof(IsBad)|})] public partial Task RunAsync();
            private Task RunAsyncCore() => Task.CompletedTask;
            private static bool IsBad(object value) => false;
        }
        """,
        Verify.Diagnostic(DiagnosticDescriptors.FailureWhenWithoutResult).WithLocation(0).WithArguments("RunAsync"));

    [Fact]
    public Task A_predicate_that_takes_a_base_type_fits() => Verify.VerifyAsync(
        """
        public partial class C
        {
            [CircuitBreaker("b", FailureWhen = nameof(IsBad))] public partial Task<string> GetAsync();
            private Task<string> GetAsyncCore() => Task.FromResult("");
            private static bool IsBad(object? value) => value is null;
        }
        """);

    [Fact]
    public Task A_handled_type_that_is_not_an_exception_is_reported_at_the_entry() => Verify.VerifyAsync(
        """
        public partial class C
        {
            [CircuitBreaker("b", Handles = new[] { typeof(IOException), {|#0:typeof(string)|} })] public partial int Get();
            private int GetCore() => 1;
        }
        """,
        Verify.Diagnostic(DiagnosticDescriptors.InvalidExceptionType).WithLocation(0).WithArguments("string", "Handles"));

    [Fact]
    public Task An_open_generic_ignored_type_in_a_collection_expression() => Verify.VerifyAsync(
        """
        public class Failure<T> : Exception { }
        public partial class C
        {
            [CircuitBreaker("b", Ignores = [{|#0:typeof(Failure<>)|}])] public partial int Get();
            private int GetCore() => 1;
        }
        """,
        Verify.Diagnostic(DiagnosticDescriptors.InvalidExceptionType).WithLocation(0).WithArguments("Failure<>", "Ignores"));

    [Fact]
    public Task A_type_both_handled_and_ignored() => Verify.VerifyAsync(
        """
        public partial class C
        {
            [CircuitBreaker("b", Handles = new[] { typeof(IOException) }, Ignores = new[] { typeof(TimeoutException), {|#0:typeof(IOException)|} })] public partial int Get();
            private int GetCore() => 1;
        }
        """,
        Verify.Diagnostic(DiagnosticDescriptors.ExceptionTypeHandledAndIgnored).WithLocation(0).WithArguments("IOException"));

    [Fact]
    public Task A_derived_type_ignored_inside_a_handled_one_is_fine() => Verify.VerifyAsync(
        """
        public partial class C
        {
            [CircuitBreaker("b", Handles = new[] { typeof(IOException) }, Ignores = new[] { typeof(FileNotFoundException) })] public partial int Get();
            private int GetCore() => 1;
        }
        """);
}
