using System;

namespace Breaker;

/// <summary>
/// The settings of one circuit breaker. Bindable from configuration; <see cref="Validate()"/> rejects values that cannot work.
/// </summary>
public sealed class CircuitBreakerOptions
{
    /// <summary>The largest count-based window supported.</summary>
    public const int MaxSlidingWindowSize = 1_000_000;

    /// <summary>The failure ratio, in (0, 1], at which a closed circuit opens. Default 0.5.</summary>
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>How many calls the window must hold before a ratio can open the circuit. Default 10.</summary>
    public int MinimumThroughput { get; set; } = 10;

    /// <summary>How many of the most recent calls a count-based window holds. Default 100. Ignored when <see cref="SamplingDuration"/> is set.</summary>
    public int SlidingWindowSize { get; set; } = 100;

    /// <summary><see cref="TimeSpan.Zero"/> (the default) selects a count-based window; a positive value a time-based window of that length.</summary>
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.Zero;

    /// <summary>Opens the circuit after this many failures in a row, whatever the ratio. Default 0 (off).</summary>
    public int ConsecutiveFailureThreshold { get; set; }

    /// <summary>How long the circuit stays open before it admits probes. Default 60 seconds.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Successful probes needed to close a half-open circuit; also the most probes admitted per half-open period. Default 3.</summary>
    public int SuccessThreshold { get; set; } = 3;

    /// <summary>A call still running after this long counts as a <see cref="FailureKind.Timeout"/>. Default <see cref="TimeSpan.Zero"/> (no timeout).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.Zero;

    /// <summary>A call taking at least this long is slow. Default 10 seconds.</summary>
    public TimeSpan SlowCallDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The slow-call ratio, in (0, 1], at which a closed circuit opens. Default 0.5.</summary>
    public double SlowCallRatio { get; set; } = 0.5;

    /// <summary>Each time a half-open circuit opens again, the break grows by this factor (at least 1). Default 1 (no back-off).</summary>
    public double BreakDurationMultiplier { get; set; } = 1.0;

    /// <summary>The longest a break can grow to under back-off. Default 30 minutes; must be at least <see cref="BreakDuration"/> when back-off is on.</summary>
    public TimeSpan MaxBreakDuration { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// For <see cref="CircuitBreaker.Execute{TResult}(Func{TResult})"/> and friends: which exceptions count as failures.
    /// <see langword="null"/> (the default) counts every exception except the caller's own cancellation.
    /// </summary>
    public Func<Exception, bool>? ShouldHandle { get; set; }

    /// <summary>Whether the window is time-based (<see cref="SamplingDuration"/> &gt; 0) rather than count-based.</summary>
    public bool IsTimeBased => SamplingDuration > TimeSpan.Zero;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/>, naming the option and its allowed range, for the first invalid setting.</summary>
    public void Validate() => Validate(breakerName: null);

    /// <summary>Like <see cref="Validate()"/>, with the breaker's name at the start of the message.</summary>
    /// <param name="breakerName">The name of the breaker these options are for.</param>
    public void Validate(string? breakerName)
    {
        string prefix = breakerName is null ? string.Empty : $"Circuit breaker '{breakerName}': ";
        RequireRatio(prefix, FailureRatio, nameof(FailureRatio));
        RequireRatio(prefix, SlowCallRatio, nameof(SlowCallRatio));
        if (MinimumThroughput < 1)
        {
            throw OutOfRange(prefix, nameof(MinimumThroughput), MinimumThroughput, "must be at least 1");
        }

        if (SamplingDuration < TimeSpan.Zero)
        {
            throw OutOfRange(prefix, nameof(SamplingDuration), SamplingDuration, "must be zero (count-based window) or positive (time-based window)");
        }

        if (!IsTimeBased)
        {
            if (SlidingWindowSize < 1 || SlidingWindowSize > MaxSlidingWindowSize)
            {
                throw OutOfRange(prefix, nameof(SlidingWindowSize), SlidingWindowSize, $"must be between 1 and {MaxSlidingWindowSize}");
            }

            if (SlidingWindowSize < MinimumThroughput)
            {
                throw OutOfRange(prefix,
                    nameof(SlidingWindowSize),
                    SlidingWindowSize,
                    $"must be at least MinimumThroughput ({MinimumThroughput}): a window of {SlidingWindowSize} calls can never reach it");
            }
        }

        if (ConsecutiveFailureThreshold < 0)
        {
            throw OutOfRange(prefix, nameof(ConsecutiveFailureThreshold), ConsecutiveFailureThreshold, "must be 0 (off) or positive");
        }

        RequirePositive(prefix, BreakDuration, nameof(BreakDuration));
        if (SuccessThreshold < 1)
        {
            throw OutOfRange(prefix, nameof(SuccessThreshold), SuccessThreshold, "must be at least 1");
        }

        if (Timeout < TimeSpan.Zero)
        {
            throw OutOfRange(prefix, nameof(Timeout), Timeout, "must be zero (no timeout) or positive");
        }

        RequirePositive(prefix, SlowCallDuration, nameof(SlowCallDuration));
        if (!(BreakDurationMultiplier >= 1.0) || double.IsInfinity(BreakDurationMultiplier))
        {
            throw OutOfRange(prefix, nameof(BreakDurationMultiplier), BreakDurationMultiplier, "must be a finite number of at least 1");
        }

        RequirePositive(prefix, MaxBreakDuration, nameof(MaxBreakDuration));
        if (BreakDurationMultiplier > 1.0 && MaxBreakDuration < BreakDuration)
        {
            throw OutOfRange(prefix,
                nameof(MaxBreakDuration),
                MaxBreakDuration,
                $"must be at least BreakDuration ({BreakDuration}) when BreakDurationMultiplier is above 1");
        }
    }

    /// <summary>
    /// Whether counts meet a ratio threshold: failures / calls at least <see cref="FailureRatio"/>, or slow calls / calls
    /// at least <see cref="SlowCallRatio"/>. Compared by division, so 3 failures in 10 calls meet a ratio of exactly 0.3.
    /// <see cref="MinimumThroughput"/> is not checked: a closed circuit applies this after every outcome, and so does a fleet to its summed counts.
    /// </summary>
    /// <param name="calls">Calls counted.</param>
    /// <param name="failures">Of those, the failed ones.</param>
    /// <param name="slowCalls">Of those, the slow ones.</param>
    public bool IsRatioThresholdReached(long calls, long failures, long slowCalls) =>
        calls > 0 && ((double)failures / calls >= FailureRatio || (double)slowCalls / calls >= SlowCallRatio);

    /// <summary>Returns a copy of these options.</summary>
    public CircuitBreakerOptions Clone() => (CircuitBreakerOptions)MemberwiseClone();

    private static void RequireRatio(string prefix, double value, string name)
    {
        if (!(value > 0.0 && value <= 1.0))
        {
            throw OutOfRange(prefix, name, value, "must be greater than 0 and at most 1");
        }
    }

    private static void RequirePositive(string prefix, TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw OutOfRange(prefix, name, value, "must be positive");
        }
    }

    private static ArgumentOutOfRangeException OutOfRange(string prefix, string name, object value, string rule) =>
        new(name, $"{prefix}{name} {rule} (was {value}).");
}
