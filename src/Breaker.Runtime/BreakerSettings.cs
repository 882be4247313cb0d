using System;

namespace Breaker;

/// <summary>A breaker's validated options with durations converted to timestamp ticks, swapped whole on reconfiguration.</summary>
internal sealed class BreakerSettings
{
    public BreakerSettings(CircuitBreakerOptions options, long timestampFrequency)
    {
        options.Validate();
        Options = options.Clone();
        TimestampFrequency = timestampFrequency;
        SlowCallTicks = ToTimestampTicks(Options.SlowCallDuration);
    }

    /// <summary>The options in force; never handed out, so nobody can change them behind the breaker's back.</summary>
    public CircuitBreakerOptions Options { get; }

    public long TimestampFrequency { get; }

    public long SlowCallTicks { get; }

    public long ToTimestampTicks(TimeSpan duration) => (long)Math.Min(duration.TotalSeconds * TimestampFrequency, long.MaxValue / 4);

    public TimeSpan ToTimeSpan(long timestampTicks) => TimeSpan.FromSeconds((double)timestampTicks / TimestampFrequency);

    /// <summary>The break after <paramref name="reopens"/> failed half-open verdicts in a row: multiplied, then capped.</summary>
    public TimeSpan BreakDurationAfter(int reopens)
    {
        if (reopens == 0 || Options.BreakDurationMultiplier == 1.0)
        {
            return Options.BreakDuration;
        }

        double ticks = Options.BreakDuration.Ticks * Math.Pow(Options.BreakDurationMultiplier, reopens);
        return ticks >= Options.MaxBreakDuration.Ticks ? Options.MaxBreakDuration : TimeSpan.FromTicks((long)ticks);
    }

    public bool UsesSameWindowAs(BreakerSettings other) =>
        Options.SamplingDuration == other.Options.SamplingDuration
        && (Options.IsTimeBased || Options.SlidingWindowSize == other.Options.SlidingWindowSize);
}
