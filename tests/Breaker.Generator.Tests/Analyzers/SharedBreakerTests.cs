using System.Threading.Tasks;
using Breaker.Generator.Diagnostics;
using Verify = Breaker.Generator.Tests.Infrastructure.AnalyzerVerifier<Breaker.Generator.Analyzers.SharedBreakerAnalyzer>;

namespace Breaker.Generator.Tests.Analyzers;

/// <summary>BRK0021: methods that share a breaker name but not its settings.</summary>
public class SharedBreakerTests
{
    [Fact]
    public Task Every_declaration_is_reported_and_points_at_the_others() => Verify.VerifyAsync(
        """
        public partial class A
        {
            [CircuitBreaker({|#0:"quotes"|}, FailureRatio = 0.25)] public partial int Get();
            private int GetCore() => 1;

            [CircuitBreaker({|#1:"quotes"|})] public partial int Put();
            private int PutCore() => 1;
        }

        public partial class B
        {
            [CircuitBreaker({|#2:"quotes"|}, FailureRatio = 0.25, BreakDurationMs = 5_000)] public partial int Get();
            private int GetCore() => 1;
        }
        """,
        Verify.Diagnostic(DiagnosticDescriptors.ConflictingBreakerSettings).WithLocation(0).WithLocation(1).WithLocation(2)
            .WithArguments("quotes", 3, "FailureRatio, BreakDurationMs"),
        Verify.Diagnostic(DiagnosticDescriptors.ConflictingBreakerSettings).WithLocation(1).WithLocation(0).WithLocation(2)
            .WithArguments("quotes", 3, "FailureRatio, BreakDurationMs"),
        Verify.Diagnostic(DiagnosticDescriptors.ConflictingBreakerSettings).WithLocation(2).WithLocation(0).WithLocation(1)
            .WithArguments("quotes", 3, "FailureRatio, BreakDurationMs"));

    [Fact]
    public Task A_decorator_and_a_partial_method_that_share_a_breaker_name_are_compared() => Verify.VerifyAsync(
        """
        public interface IQuotes { int Get(); int Put(); }

        [CircuitBreaker({|#0:"quotes"|}, FailureRatio = 0.6)]
        public partial class QuotesBreaker : IQuotes;

        [CircuitBreaker("prices", PerMethod = true, FailureRatio = 0.6)]
        public partial class PricesBreaker : IQuotes;

        public partial class A
        {
            [CircuitBreaker({|#1:"quotes"|}, FailureRatio = 0.3)] public partial int Get();
            private int GetCore() => 1;

            [CircuitBreaker("prices.Get", FailureRatio = 0.6)] public partial int Put();
            private int PutCore() => 1;
        }
        """,
        Verify.Diagnostic(DiagnosticDescriptors.ConflictingBreakerSettings).WithLocation(0).WithLocation(1)
            .WithArguments("quotes", 2, "FailureRatio"),
        Verify.Diagnostic(DiagnosticDescriptors.ConflictingBreakerSettings).WithLocation(1).WithLocation(0)
            .WithArguments("quotes", 2, "FailureRatio"));

    [Fact]
    public Task Different_hooks_and_jitter_are_different_settings() => Verify.VerifyAsync(
        """
        public partial class A
        {
            [CircuitBreaker({|#0:"quotes"|}, BreakDurationHook = nameof(Choose), BreakJitterRatio = 0.1)] public partial int Get();
            private int GetCore() => 1;
            private static TimeSpan? Choose(BreakContext context) => null;
        }

        public partial class B
        {
            [CircuitBreaker({|#1:"quotes"|}, BreakDurationHook = nameof(Choose))] public partial int Get();
            private int GetCore() => 1;
            private static TimeSpan? Choose(BreakContext context) => null;
        }
        """,
        Verify.Diagnostic(DiagnosticDescriptors.ConflictingBreakerSettings).WithLocation(0).WithLocation(1)
            .WithArguments("quotes", 2, "BreakJitterRatio, BreakDurationHook"),
        Verify.Diagnostic(DiagnosticDescriptors.ConflictingBreakerSettings).WithLocation(1).WithLocation(0)
            .WithArguments("quotes", 2, "BreakJitterRatio, BreakDurationHook"));

    [Fact]
    public Task One_hook_shared_by_methods_of_its_type_is_one_setting() => Verify.VerifyAsync(
        """
        public partial class A
        {
            [CircuitBreaker("quotes", BreakDurationHook = nameof(Choose))] public partial int Get();
            private int GetCore() => 1;

            [CircuitBreaker("quotes", BreakDurationHook = nameof(Choose))] public partial int Put();
            private int PutCore() => 1;

            private static TimeSpan? Choose(BreakContext context) => null;
        }
        """);

    [Fact]
    public Task The_same_settings_written_differently_are_fine() => Verify.VerifyAsync(
        """
        public partial class A
        {
            [CircuitBreaker("quotes", FailureRatio = 0.5, MinimumThroughput = 10)] public partial int Get();
            private int GetCore() => 1;

            [CircuitBreaker("quotes", Fallback = nameof(Zero))] public partial int Put();
            private int PutCore() => 1;
            private int Zero() => 0;
        }
        """);

    [Fact]
    public Task Different_names_do_not_share_settings() => Verify.VerifyAsync(
        """
        public partial class A
        {
            [CircuitBreaker("quotes", FailureRatio = 0.25)] public partial int Get();
            private int GetCore() => 1;

            [CircuitBreaker("Quotes")] public partial int Put();
            private int PutCore() => 1;
        }
        """);
}
