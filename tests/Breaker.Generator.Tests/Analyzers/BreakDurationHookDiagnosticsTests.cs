using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Breaker.Generator.Diagnostics;
using Breaker.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Emit;
using Verify = Breaker.Generator.Tests.Infrastructure.AnalyzerVerifier<Breaker.Generator.Analyzers.GuardedMethodAnalyzer>;

namespace Breaker.Generator.Tests.Analyzers;

/// <summary>BRK0025: the break-duration hook the attribute names, and every place a hook that fits compiles.</summary>
public class BreakDurationHookDiagnosticsTests
{
    [Fact]
    public Task A_missing_hook_names_the_signature_to_declare() => Verify.VerifyAsync(
        """
        public partial class C
        {
            [CircuitBreaker("b", {|#0:BreakDurationHook = "Choose"|})] public partial int Get();
            private int GetCore() => 1;
        }
        """,
        Verify.Diagnostic(DiagnosticDescriptors.BreakDurationHookUnusable).WithLocation(0)
            .WithArguments("Choose", "Get", "no method has that name; declare 'private static TimeSpan? Choose(BreakContext context)'"));

    [Theory]
    [InlineData("private static TimeSpan Choose(BreakContext context) => TimeSpan.Zero;")]
    [InlineData("private static TimeSpan? Choose(in BreakContext context) => null;")]
    [InlineData("private static TimeSpan? Choose(BreakContext context, int extra) => null;")]
    [InlineData("private static TimeSpan? Choose() => null;")]
    [InlineData("private static TimeSpan? Choose<T>(BreakContext context) => null;")]
    [InlineData("private static ref TimeSpan? Choose(BreakContext context) => throw new InvalidOperationException();")]
    [InlineData("private static int? Choose(BreakContext context) => null;")]
    public Task A_hook_with_another_signature_is_reported(string hook) => Verify.VerifyAsync(
        """
        public partial class C
        {
            [CircuitBreaker("b", {|#0:BreakDurationHook = nameof(Choose)|})] public partial int Get();
            private int GetCore() => 1;
        """ + "\n    " + hook + "\n}\n",
        Verify.Diagnostic(DiagnosticDescriptors.BreakDurationHookUnusable).WithLocation(0)
            .WithArguments("Choose", "Get", "no overload is 'static TimeSpan? Choose(BreakContext context)'"));

    [Fact]
    public Task An_instance_hook_is_reported_even_on_an_instance_method() => Verify.VerifyAsync(
        """
        public partial class C
        {
            [CircuitBreaker("b", {|#0:BreakDurationHook = nameof(Choose)|})] public partial int Get();
            private int GetCore() => 1;
            private TimeSpan? Choose(BreakContext context) => null;
        }
        """,
        Verify.Diagnostic(DiagnosticDescriptors.BreakDurationHookUnusable).WithLocation(0)
            .WithArguments("Choose", "Get", "it is an instance method, and one breaker serves every instance of 'C'; make it static"));

    [Fact]
    public Task A_hook_in_a_generic_type_is_reported() => Verify.VerifyAsync(
        """
        public partial class Cache<T>
        {
            [CircuitBreaker("b", {|#0:BreakDurationHook = nameof(Choose)|})] public partial int Get();
            private int GetCore() => 1;
            private static TimeSpan? Choose(BreakContext context) => null;
        }
        """,
        Verify.Diagnostic(DiagnosticDescriptors.BreakDurationHookUnusable).WithLocation(0).WithArguments(
            "Choose",
            "Get",
            "'Cache<T>' is generic, so the breaker's declaration, made from outside it when the assembly loads, cannot name the hook; one breaker serves every closed type: set the hook at run time with CircuitBreakerRegistry.Configure"));

    [Theory]
    [InlineData("private", "private")]
    [InlineData("protected", "protected")]
    [InlineData("private protected", "private protected")]
    public Task A_hook_in_a_hidden_nested_type_is_reported(string modifiers, string said) => Verify.VerifyAsync(
        """
        public partial class Outer
        {
        """ + "\n    " + modifiers + """
         partial class Inner
            {
                [CircuitBreaker("b", {|#0:BreakDurationHook = nameof(Choose)|})] public partial int Get();
                private int GetCore() => 1;
                private static TimeSpan? Choose(BreakContext context) => null;
            }
        }
        """,
        Verify.Diagnostic(DiagnosticDescriptors.BreakDurationHookUnusable).WithLocation(0).WithArguments(
            "Choose",
            "Get",
            "'Inner' is " + said + ", so the breaker's declaration, made from outside it when the assembly loads, cannot name the hook; make the type internal"));

    public static TheoryData<string> FittingHooks => new()
    {
        // Private, on a static method.
        """
        public static partial class C
        {
            [CircuitBreaker("b", BreakDurationHook = nameof(Choose), BreakJitterRatio = 0.1)] public static partial int Get();
            private static int GetCore() => 1;
            private static TimeSpan? Choose(BreakContext context) => context.RequestedBreak;
        }
        """,

        // Protected in a base class, used by an async instance method of a derived class.
        """
        public abstract class Policies
        {
            protected static TimeSpan? Choose(BreakContext context) => context.ConsecutiveOpens > 2 ? TimeSpan.FromMinutes(5) : null;
        }

        public partial class Client : Policies
        {
            [CircuitBreaker("b", BreakDurationHook = nameof(Choose))] public partial Task<int> GetAsync(CancellationToken ct);
            private Task<int> GetAsyncCore(CancellationToken ct) => Task.FromResult(1);
        }
        """,

        // Nested in reachable types, in a struct, with overloads of the guarded method and of the hook.
        """
        internal partial class Outer
        {
            public partial struct Inner
            {
                [CircuitBreaker("b", BreakDurationHook = nameof(Choose))] public partial int Get(int a);
                [CircuitBreaker("b", BreakDurationHook = nameof(Choose))] public partial int Get(string a);
                private int GetCore(int a) => a;
                private int GetCore(string a) => a.Length;
                private static TimeSpan? Choose(BreakContext context) => null;
                private static TimeSpan? Choose(BreakContext context, int unused) => null;
            }
        }
        """,

        // A keyword for a name.
        """
        public partial class C
        {
            [CircuitBreaker("b", BreakDurationHook = nameof(@event))] public partial void Run();
            private void RunCore() { }
            private static TimeSpan? @event(BreakContext context) => null;
        }
        """,
    };

    [Theory]
    [MemberData(nameof(FittingHooks))]
    public async Task A_hook_that_fits_has_no_diagnostic_and_the_generated_code_compiles_without_a_warning(string source)
    {
        await Verify.VerifyAsync(source);

        GeneratorRun run = GeneratorHarness.Run(GeneratorHarness.CompileShape(source));
        Assert.Empty(run.Diagnostics);
        using var assembly = new MemoryStream();
        EmitResult emitted = run.Output.Emit(assembly);
        var problems = emitted.Diagnostics.Where(static d => d.Severity >= DiagnosticSeverity.Warning).Select(static d => d.ToString()).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\n\n" + GeneratorHarness.Describe(run.Result));
    }
}
