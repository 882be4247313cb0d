using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;

namespace Breaker.Runtime.Tests;

public sealed class OptionsTests
{
    public static TheoryData<string, Action<CircuitBreakerOptions>> InvalidOptions => new()
    {
        { "FailureRatio", o => o.FailureRatio = 0 },
        { "FailureRatio", o => o.FailureRatio = -0.1 },
        { "FailureRatio", o => o.FailureRatio = 1.01 },
        { "FailureRatio", o => o.FailureRatio = double.NaN },
        { "SlowCallRatio", o => o.SlowCallRatio = 0 },
        { "SlowCallRatio", o => o.SlowCallRatio = 1.5 },
        { "SlowCallRatio", o => o.SlowCallRatio = double.NaN },
        { "MinimumThroughput", o => o.MinimumThroughput = 0 },
        { "MinimumThroughput", o => o.MinimumThroughput = -1 },
        { "SamplingDuration", o => o.SamplingDuration = TimeSpan.FromTicks(-1) },
        { "SlidingWindowSize", o => { o.SlidingWindowSize = 0; o.MinimumThroughput = 1; } },
        { "SlidingWindowSize", o => o.SlidingWindowSize = CircuitBreakerOptions.MaxSlidingWindowSize + 1 },
        { "SlidingWindowSize", o => { o.SlidingWindowSize = 5; o.MinimumThroughput = 6; } },
        { "ConsecutiveFailureThreshold", o => o.ConsecutiveFailureThreshold = -1 },
        { "BreakDuration", o => o.BreakDuration = TimeSpan.Zero },
        { "BreakDuration", o => o.BreakDuration = TimeSpan.FromSeconds(-1) },
        { "SuccessThreshold", o => o.SuccessThreshold = 0 },
        { "Timeout", o => o.Timeout = TimeSpan.FromMilliseconds(-1) },
        { "Timeout", o => o.Timeout = CircuitBreakerOptions.MaxTimeout + TimeSpan.FromTicks(1) },
        { "Timeout", o => o.Timeout = TimeSpan.FromDays(50) },
        { "Timeout", o => o.Timeout = TimeSpan.MaxValue },
        { "SlowCallDuration", o => o.SlowCallDuration = TimeSpan.Zero },
        { "BreakDurationMultiplier", o => o.BreakDurationMultiplier = 0.5 },
        { "BreakDurationMultiplier", o => o.BreakDurationMultiplier = double.NaN },
        { "BreakDurationMultiplier", o => o.BreakDurationMultiplier = double.PositiveInfinity },
        { "MaxBreakDuration", o => o.MaxBreakDuration = TimeSpan.Zero },
        { "MaxBreakDuration", o => { o.BreakDurationMultiplier = 2; o.MaxBreakDuration = TimeSpan.FromSeconds(59); } },
        { "MaxRetryAfter", o => o.MaxRetryAfter = TimeSpan.Zero },
        { "MaxRetryAfter", o => o.MaxRetryAfter = TimeSpan.FromSeconds(-1) },
        { "MaxKeys", o => o.MaxKeys = 0 },
        { "MaxKeys", o => o.MaxKeys = -1 },
        { "MaxKeys", o => o.MaxKeys = 1_000_001 },
        { "KeyIdleTimeout", o => o.KeyIdleTimeout = TimeSpan.Zero },
        { "KeyIdleTimeout", o => o.KeyIdleTimeout = TimeSpan.FromSeconds(-1) },
        { "BreakJitterRatio", o => o.BreakJitterRatio = -0.01 },
        { "BreakJitterRatio", o => o.BreakJitterRatio = 1 },
        { "BreakJitterRatio", o => o.BreakJitterRatio = double.NaN },
        { "BreakJitterRatio", o => o.BreakJitterRatio = double.PositiveInfinity },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Each_invalid_option_is_rejected_by_name(string option, Action<CircuitBreakerOptions> makeInvalid)
    {
        var options = new CircuitBreakerOptions();
        makeInvalid(options);

        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);

        Assert.Equal(option, error.ParamName);
        Assert.StartsWith(option + " ", error.Message, StringComparison.Ordinal);
        Assert.Contains("must be", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void The_breaker_name_leads_the_message_when_given(string option, Action<CircuitBreakerOptions> makeInvalid)
    {
        var options = new CircuitBreakerOptions();
        makeInvalid(options);

        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(() => options.Validate("quotes"));

        Assert.Equal(option, error.ParamName);
        Assert.StartsWith($"Circuit breaker 'quotes': {option} ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_timeout_longer_than_a_CancellationTokenSource_accepts_is_refused_before_any_call_takes_a_permit()
    {
        var tooLong = new CircuitBreakerOptions { Timeout = TimeSpan.FromDays(50) };

        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(() => new CircuitBreaker("slow", tooLong));
        Assert.Equal("Timeout", error.ParamName);
        Assert.Contains("at most 4294967294 ms (about 49.7 days)", error.Message, StringComparison.Ordinal);

        // Reconfiguring a live breaker with it changes nothing: the breaker keeps its timeout and its calls keep working.
        var breaker = new CircuitBreaker("slow", new CircuitBreakerOptions { Timeout = TimeSpan.FromSeconds(1) });
        Assert.Throws<ArgumentOutOfRangeException>(() => breaker.Reconfigure(tooLong));
        Assert.Equal(TimeSpan.FromSeconds(1), breaker.Timeout);
        Assert.Equal(1, await breaker.ExecuteAsync(static _ => ValueTask.FromResult(1)));
    }

    [Fact]
    public async Task A_timeout_at_the_limit_is_accepted_and_calls_run_with_it()
    {
        var options = new CircuitBreakerOptions { Timeout = CircuitBreakerOptions.MaxTimeout };
        options.Validate();
        Assert.Equal(TimeSpan.FromMilliseconds(4_294_967_294), CircuitBreakerOptions.MaxTimeout);

        // On the system clock and on a fake one: the call's CancellationTokenSource accepts the longest timeout.
        foreach (TimeProvider clock in new TimeProvider[] { TimeProvider.System, new Microsoft.Extensions.Time.Testing.FakeTimeProvider() })
        {
            var breaker = new CircuitBreaker(TestBreakers.UniqueName("longest"), options, clock);
            int result = await breaker.ExecuteAsync(static (_, ct) => ValueTask.FromResult(ct.CanBeCanceled ? 1 : 0), 0);
            Assert.Equal(1, result);
            Assert.Equal(1, breaker.GetMetrics().SuccessfulCalls);
        }
    }

    [Fact]
    public void The_message_states_the_allowed_range_and_the_value()
    {
        var options = new CircuitBreakerOptions { SlidingWindowSize = 5, MinimumThroughput = 6 };

        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);

        Assert.Contains("at least MinimumThroughput (6)", error.Message, StringComparison.Ordinal);
        Assert.Contains("(was 5)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_defaults_are_the_documented_ones_and_valid()
    {
        var options = new CircuitBreakerOptions();

        options.Validate();
        Assert.Equal(0.5, options.FailureRatio);
        Assert.Equal(10, options.MinimumThroughput);
        Assert.Equal(100, options.SlidingWindowSize);
        Assert.Equal(TimeSpan.Zero, options.SamplingDuration);
        Assert.False(options.IsTimeBased);
        Assert.Equal(0, options.ConsecutiveFailureThreshold);
        Assert.Equal(TimeSpan.FromSeconds(60), options.BreakDuration);
        Assert.Equal(3, options.SuccessThreshold);
        Assert.Equal(TimeSpan.Zero, options.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(10), options.SlowCallDuration);
        Assert.Equal(0.5, options.SlowCallRatio);
        Assert.Equal(1.0, options.BreakDurationMultiplier);
        Assert.Equal(TimeSpan.FromMinutes(30), options.MaxBreakDuration);
        Assert.Null(options.ShouldHandle);
    }

    [Fact]
    public void Edge_values_inside_the_ranges_are_valid()
    {
        var options = new CircuitBreakerOptions
        {
            FailureRatio = 1,
            SlowCallRatio = 1,
            MinimumThroughput = 1,
            SlidingWindowSize = 1,
            SuccessThreshold = 1,
            BreakDuration = TimeSpan.FromTicks(1),
            SlowCallDuration = TimeSpan.FromTicks(1),
            BreakDurationMultiplier = 1,
            MaxBreakDuration = TimeSpan.FromTicks(1),
        };

        options.Validate();
        options.SlidingWindowSize = CircuitBreakerOptions.MaxSlidingWindowSize;
        options.Validate();
        options.SlidingWindowSize = 0; // a time-based window has no size to check
        options.SamplingDuration = TimeSpan.FromSeconds(1);
        options.Validate();
    }

    [Fact]
    public void A_small_cap_is_fine_without_back_off()
    {
        var options = new CircuitBreakerOptions { MaxBreakDuration = TimeSpan.FromSeconds(1) };

        options.Validate();
    }

    [Fact]
    public void Clone_copies_every_setting_independently()
    {
        Func<Exception, bool> handle = static _ => true;
        var options = new CircuitBreakerOptions { FailureRatio = 0.25, Timeout = TimeSpan.FromSeconds(2), ShouldHandle = handle };

        CircuitBreakerOptions copy = options.Clone();
        options.FailureRatio = 0.75;

        Assert.Equal(0.25, copy.FailureRatio);
        Assert.Equal(TimeSpan.FromSeconds(2), copy.Timeout);
        Assert.Same(handle, copy.ShouldHandle);
        Assert.NotSame(options, copy);
    }

    [Fact]
    public void Every_numeric_or_duration_setting_has_an_invalid_case()
    {
        var covered = new HashSet<string>();
        foreach (object[] row in InvalidOptions)
        {
            covered.Add((string)row[0]);
        }

        var settings = new HashSet<string>();
        foreach (System.Reflection.PropertyInfo property in typeof(CircuitBreakerOptions).GetProperties())
        {
            // Hooks are code, and every int is a seed.
            if (property.CanWrite && !typeof(Delegate).IsAssignableFrom(property.PropertyType) && property.PropertyType != typeof(bool) && property.Name != nameof(CircuitBreakerOptions.BreakJitterSeed))
            {
                settings.Add(property.Name);
            }
        }

        Assert.Equal(settings.Order(), covered.Order());
    }

    [Theory]
    [InlineData(60, 1800, 1, 1800)]     // the default: MaxBreakDuration
    [InlineData(3600, 1800, 1, 3600)]   // without back-off MaxBreakDuration may be shorter: the configured break still stands
    [InlineData(60, 600, 2, 600)]
    [InlineData(60, 60, 3, 60)]
    public void LongestBreak_is_MaxBreakDuration_or_the_configured_break_when_that_is_longer(int breakSeconds, int maxSeconds, double multiplier, int longestSeconds)
    {
        var options = new CircuitBreakerOptions
        {
            BreakDuration = TimeSpan.FromSeconds(breakSeconds),
            MaxBreakDuration = TimeSpan.FromSeconds(maxSeconds),
            BreakDurationMultiplier = multiplier,
        };

        options.Validate();
        Assert.Equal(TimeSpan.FromSeconds(longestSeconds), options.LongestBreak);
    }

    [Fact]
    public void A_jitter_ratio_just_below_one_and_any_seed_are_valid()
    {
        new CircuitBreakerOptions { BreakJitterRatio = 0.999, BreakJitterSeed = int.MinValue }.Validate();
        new CircuitBreakerOptions { BreakJitterRatio = 0, BreakJitterSeed = int.MaxValue }.Validate();
    }

    [Theory]
    [InlineData(10, 3, 0, true)]   // 3 of 10 meets 0.3 exactly
    [InlineData(10, 2, 0, false)]
    [InlineData(10, 0, 5, true)]   // the slow-call ratio (0.5) alone
    [InlineData(0, 0, 0, false)]   // no calls, no ratio
    public void IsRatioThresholdReached_compares_by_division(long calls, long failures, long slow, bool reached)
    {
        var options = new CircuitBreakerOptions { FailureRatio = 0.3, SlowCallRatio = 0.5 };

        Assert.Equal(reached, options.IsRatioThresholdReached(calls, failures, slow));
    }
}
