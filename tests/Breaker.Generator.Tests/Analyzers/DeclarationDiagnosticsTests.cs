using System.Threading.Tasks;
using Breaker.Generator.Diagnostics;
using Verify = Breaker.Generator.Tests.Infrastructure.AnalyzerVerifier<Breaker.Generator.Analyzers.GuardedMethodAnalyzer>;

namespace Breaker.Generator.Tests.Analyzers;

/// <summary>BRK0001-BRK0003: declarations the generator cannot implement, reported at the method's name.</summary>
public class DeclarationDiagnosticsTests
{
    [Fact]
    public Task A_method_without_partial() => Verify.VerifyAsync(
        """
        public partial class C
        {
            [CircuitBreaker("b")] public int {|#0:Get|}();
            private int GetCore() => 1;
        }
        """,
        Verify.Diagnostic(DiagnosticDescriptors.MethodNotPartial).WithLocation(0).WithArguments("Get", "add the 'partial' modifier"));

    [Fact]
    public Task A_method_with_a_body() => Verify.VerifyAsync(
        """
        public partial class C
        {
            [CircuitBreaker("b")] public int {|#0:Get|}() => 1;
        }
        """,
        Verify.Diagnostic(DiagnosticDescriptors.MethodNotPartial).WithLocation(0)
            .WithArguments("Get", "it is not partial and has a body; make it partial and move the body to 'GetCore'"),
        Verify.Diagnostic(DiagnosticDescriptors.ImplementationNotFound).WithLocation(0)
            .WithArguments("GetCore", "Get", "private int GetCore()"));

    [Fact]
    public Task A_partial_method_implemented_by_hand() => Verify.VerifyAsync(
        """
        public partial class C
        {
            [CircuitBreaker("b")] public partial int {|#0:Get|}();
            public partial int Get() => 1;
            private int GetCore() => 1;
        }
        """,
        Verify.Diagnostic(DiagnosticDescriptors.MethodNotPartial).WithLocation(0)
            .WithArguments("Get", "it already has an implementation part; move that body to 'GetCore' and delete the part"));

    [Fact]
    public Task Containing_types_that_are_not_partial_are_all_named() => Verify.VerifyAsync(
        """
        public class Outer
        {
            public partial class Middle
            {
                public class Inner
                {
                    [CircuitBreaker("b")] public partial int {|#0:Get|}();
                    private int GetCore() => 1;
                }
            }
        }
        """,
        Verify.Diagnostic(DiagnosticDescriptors.ContainingTypeNotPartial).WithLocation(0).WithArguments("Get", "'Outer' and 'Inner'"));

    [Fact]
    public Task A_ref_return() => Verify.VerifyAsync(
        """
        public partial class C
        {
            private int _value;
            [CircuitBreaker("b")] public partial ref int {|#0:Get|}();
            private ref int GetCore() => ref _value;
        }
        """,
        Verify.Diagnostic(DiagnosticDescriptors.UnsupportedMethod).WithLocation(0).WithArguments("Get", "it returns by reference"));

    [Fact]
    public Task An_async_enumerator() => Verify.VerifyAsync(
        """
        public partial class C
        {
            [CircuitBreaker("b")] public partial IAsyncEnumerator<int> {|BRK0003:Stream|}();
            private IAsyncEnumerator<int> StreamCore() => throw new NotSupportedException();
        }
        """);

    [Fact]
    public Task An_async_stream_on_a_struct_instance() => Verify.VerifyAsync(
        """
        public partial struct C
        {
            [CircuitBreaker("b")] public partial IAsyncEnumerable<int> {|BRK0003:Stream|}();
            private IAsyncEnumerable<int> StreamCore() => throw new NotSupportedException();
        }
        """);



    [Fact]
    public Task A_pointer_parameter() => Verify.VerifyAsync(
        """
        public unsafe partial class C
        {
            [CircuitBreaker("b")] public partial int {|BRK0003:Read|}(byte* data);
            private int ReadCore(byte* data) => *data;
        }
        """);

    [Fact]
    public Task An_async_method_with_a_by_ref_parameter_is_reported_at_the_parameter() => Verify.VerifyAsync(
        """
        public partial class C
        {
            [CircuitBreaker("b")] public partial Task<int> GetAsync(ReadOnlySpan<byte> {|#0:data|});
            private Task<int> GetAsyncCore(ReadOnlySpan<byte> data) => Task.FromResult(data.Length);
        }
        """,
        Verify.Diagnostic(DiagnosticDescriptors.UnsupportedMethod).WithLocation(0)
            .WithArguments("GetAsync", "parameter 'data' is by reference or a ref struct, which an async call cannot keep across an await"));

    [Fact]
    public Task An_async_method_on_a_ref_struct() => Verify.VerifyAsync(
        """
        public ref partial struct C
        {
            [CircuitBreaker("b")] public partial Task {|BRK0003:GetAsync|}();
            private Task GetAsyncCore() => Task.CompletedTask;
        }
        """);

    [Fact]
    public Task A_method_of_an_interface() => Verify.VerifyAsync(
        """
        public partial interface C
        {
            [CircuitBreaker("b")] public partial int {|BRK0003:Get|}();
        }
        """);

    [Fact]
    public Task A_local_function() => Verify.VerifyAsync(
        """
        public class C
        {
            public int Get()
            {
                return Local();

                [CircuitBreaker("b")]
                static int {|#0:Local|}() => 1;
            }
        }
        """,
        Verify.Diagnostic(DiagnosticDescriptors.UnsupportedMethod).WithLocation(0)
            .WithArguments("Local", "it is a local function; guard a partial method of a partial type instead"));

    [Fact]
    public Task Every_problem_of_a_method_is_reported_at_once() => Verify.VerifyAsync(
        """
        public class C
        {
            [CircuitBreaker("", {|BRK0006:Fallback = "Missing"|}, {|BRK0018:FailureRatio = 2|})] public int {|BRK0001:{|BRK0002:{|BRK0004:Get|}|}|}();
        }
        """,
        Verify.Diagnostic(DiagnosticDescriptors.MissingBreakerName).WithSpan(9, 21, 9, 23).WithArguments("Get"));

    [Fact]
    public Task A_method_without_the_attribute_is_ignored() => Verify.VerifyAsync(
        """
        public class C
        {
            public int Get() => 1;
            [Obsolete] public int Other() => 1;
        }
        """);
}
