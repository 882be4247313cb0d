using System.Threading.Tasks;
using Breaker.Generator.Diagnostics;
using Verify = Breaker.Generator.Tests.Infrastructure.AnalyzerVerifier<Breaker.Generator.Analyzers.GuardedMethodAnalyzer>;

namespace Breaker.Generator.Tests.Analyzers;

/// <summary>BRK0017-BRK0020: the breaker's name, its settings' ranges (those of CircuitBreakerOptions.Validate) and timeouts.</summary>
public class ConfigurationDiagnosticsTests
{
    private const string Method = """
        public partial class C
        {
            [CircuitBreaker({0})] public partial int Get();
            private int GetCore() => 1;
        }
        """;

    [Fact]
    public Task An_empty_name_is_reported_at_the_name() => Verify.VerifyAsync(
        Guard("{|#0:\"  \"|}"),
        Verify.Diagnostic(DiagnosticDescriptors.MissingBreakerName).WithLocation(0).WithArguments("Get"));

    [Theory]
    [InlineData("FailureRatio = 0", "FailureRatio", "0", "must be greater than 0 and at most 1")]
    [InlineData("FailureRatio = 1.5", "FailureRatio", "1.5", "must be greater than 0 and at most 1")]
    [InlineData("SlowCallRatio = -0.1", "SlowCallRatio", "-0.1", "must be greater than 0 and at most 1")]
    [InlineData("SlowCallRatio = double.NaN", "SlowCallRatio", "NaN", "must be greater than 0 and at most 1")]
    [InlineData("MinimumThroughput = 0", "MinimumThroughput", "0", "must be at least 1")]
    [InlineData("SlidingWindowSize = 0", "SlidingWindowSize", "0", "must be between 1 and 1000000")]
    [InlineData("SlidingWindowSize = 1_000_001", "SlidingWindowSize", "1000001", "must be between 1 and 1000000")]
    [InlineData("SlidingWindowSize = 5", "SlidingWindowSize", "5", "must be at least MinimumThroughput (10): a window of 5 calls can never reach it")]
    [InlineData("MinimumThroughput = 200", "MinimumThroughput", "200", "must be at most SlidingWindowSize (100): a window of 100 calls can never reach it")]
    [InlineData("SamplingDurationMs = -1", "SamplingDurationMs", "-1", "must be 0 (a count-based window) or positive (a time-based window)")]
    [InlineData("ConsecutiveFailureThreshold = -3", "ConsecutiveFailureThreshold", "-3", "must be 0 (off) or positive")]
    [InlineData("BreakDurationMs = 0", "BreakDurationMs", "0", "must be positive")]
    [InlineData("SuccessThreshold = 0", "SuccessThreshold", "0", "must be at least 1")]
    [InlineData("TimeoutMs = -5", "TimeoutMs", "-5", "must be 0 (no timeout) or positive")]
    [InlineData("SlowCallDurationMs = -10", "SlowCallDurationMs", "-10", "must be positive")]
    [InlineData("BreakDurationMultiplier = 0.5", "BreakDurationMultiplier", "0.5", "must be a finite number of at least 1")]
    [InlineData("BreakDurationMultiplier = double.PositiveInfinity", "BreakDurationMultiplier", "Infinity", "must be a finite number of at least 1")]
    [InlineData("MaxBreakDurationMs = 0", "MaxBreakDurationMs", "0", "must be positive")]
    [InlineData("BreakJitterRatio = 1", "BreakJitterRatio", "1", "must be at least 0 (no jitter) and less than 1")]
    [InlineData("BreakJitterRatio = -0.1", "BreakJitterRatio", "-0.1", "must be at least 0 (no jitter) and less than 1")]
    [InlineData("BreakJitterRatio = double.NaN", "BreakJitterRatio", "NaN", "must be at least 0 (no jitter) and less than 1")]
    public Task A_setting_out_of_range_is_reported_at_its_argument(string argument, string name, string value, string rule) => Verify.VerifyAsync(
        Guard("\"b\", {|#0:" + argument + "|}"),
        Verify.Diagnostic(DiagnosticDescriptors.SettingOutOfRange).WithLocation(0).WithArguments(name, value, rule));

    [Fact]
    public Task A_window_smaller_than_both_explicit_settings_is_reported_at_the_window() => Verify.VerifyAsync(
        Guard("\"b\", MinimumThroughput = 20, {|#0:SlidingWindowSize = 10|}"),
        Verify.Diagnostic(DiagnosticDescriptors.SettingOutOfRange).WithLocation(0)
            .WithArguments("SlidingWindowSize", "10", "must be at least MinimumThroughput (20): a window of 10 calls can never reach it"));

    [Fact]
    public Task With_back_off_a_longest_break_shorter_than_the_first_is_reported_at_the_longest() => Verify.VerifyAsync(
        Guard("\"b\", BreakDurationMs = 60_000, BreakDurationMultiplier = 2, {|#0:MaxBreakDurationMs = 59_999|}"),
        Verify.Diagnostic(DiagnosticDescriptors.SettingOutOfRange).WithLocation(0)
            .WithArguments("MaxBreakDurationMs", "59999", "must be at least BreakDuration (60000 ms) when BreakDurationMultiplier is above 1"));

    [Theory]
    [InlineData("FailureRatio = 1, SlowCallRatio = 0.001")]
    [InlineData("BreakDurationMs = 3_600_000, MaxBreakDurationMs = 60_000")]
    [InlineData("BreakDurationMultiplier = 1.5, MaxBreakDurationMs = 60_000, BreakJitterRatio = 0.999")]
    [InlineData("BreakJitterRatio = 0")]
    [InlineData("MinimumThroughput = 1, SlidingWindowSize = 1")]
    [InlineData("SlidingWindowSize = 1_000_000")]
    [InlineData("SamplingDurationMs = 30_000, SlidingWindowSize = 5")]
    [InlineData("ConsecutiveFailureThreshold = 0, TimeoutMs = 0, BreakDurationMs = 1, SlowCallDurationMs = 1, SuccessThreshold = 1")]
    public Task Settings_at_the_edges_of_their_ranges_are_fine(string arguments) => Verify.VerifyAsync(Guard("\"b\", " + arguments));

    [Fact]
    public Task The_longest_timeout_the_attribute_can_state_is_fine() => Verify.VerifyAsync(
        """
        public partial class C
        {
            [CircuitBreaker("b", TimeoutMs = int.MaxValue)] public partial Task<int> GetAsync(CancellationToken ct);
            private Task<int> GetAsyncCore(CancellationToken ct) => Task.FromResult(1);
        }
        """);

    [Fact]
    public Task A_timeout_on_a_synchronous_method_is_an_error() => Verify.VerifyAsync(
        Guard("\"b\", {|#0:TimeoutMs = 100|}"),
        Verify.Diagnostic(DiagnosticDescriptors.TimeoutOnSynchronousMethod).WithLocation(0).WithArguments("Get"));

    [Fact]
    public Task A_zero_timeout_on_a_synchronous_method_is_fine() => Verify.VerifyAsync(Guard("\"b\", TimeoutMs = 0"));

    [Fact]
    public Task A_timeout_on_an_async_method_without_a_token_is_a_warning() => Verify.VerifyAsync(
        """
        public partial class C
        {
            [CircuitBreaker("b", {|#0:TimeoutMs = 100|})] public partial Task<int> GetAsync(string key);
            private Task<int> GetAsyncCore(string key) => Task.FromResult(1);
        }
        """,
        Verify.Diagnostic(DiagnosticDescriptors.TimeoutWithoutCancellationToken).WithLocation(0).WithArguments("GetAsync"));

    [Fact]
    public Task A_timeout_on_an_async_method_with_a_token_is_fine() => Verify.VerifyAsync(
        """
        public partial class C
        {
            [CircuitBreaker("b", TimeoutMs = 100)] public partial ValueTask RunAsync(string key, CancellationToken cancellationToken = default);
            private ValueTask RunAsyncCore(string key, CancellationToken cancellationToken) => default;
        }
        """);

    private static string Guard(string arguments) => Method.Replace("{0}", arguments);
}
