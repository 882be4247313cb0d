using System;
using System.Threading;
using Breaker.Windows;

namespace Breaker;

/// <summary>A breaker's validated options with durations converted to timestamp ticks, swapped whole on reconfiguration.</summary>
internal sealed class BreakerSettings
{
    private const long MaxTimestampTicks = long.MaxValue / 4;

    // The settings made last, which the next breaker with the same options shares (see For).
    private static BreakerSettings? s_recent;

    // Seeded jitter only (BreakJitterSeed); drawn under the breaker's transition lock, as Random is not thread-safe.
    private readonly Random? _jitter;

    private BreakerSettings(CircuitBreakerOptions options, long timestampFrequency, string breakerName)
    {
        options.Validate();
        Options = options.Clone();
        TimestampFrequency = timestampFrequency;
        SlowCallTicks = ToTimestampTicks(Options.SlowCallDuration);
        DurationUnitShift = DurationBins.UnitShift(timestampFrequency);
        UsesCoarseClock = Options.SlowCallDuration >= TimeSpan.FromSeconds(1);
        LongestBreak = Options.LongestBreak;
        LongestRequestedBreak = Options.MaxRetryAfter < LongestBreak ? Options.MaxRetryAfter : LongestBreak;
        _jitter = Options.BreakJitterSeed is int seed ? new Random(seed ^ StableHash(breakerName)) : null;
    }

    /// <summary>
    /// The settings for <paramref name="options"/> (validated): those of the breaker made just before when its options have
    /// the same values and clock (the keys of a group, breakers made in a loop, generated breakers with the same attribute
    /// values), otherwise new ones. Settings never change once made, so sharing them is safe, and it saves each breaker a
    /// copy of its options (about 250 bytes). Seeded jitter draws from a generator of each breaker's own: never shared.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is invalid.</exception>
    public static BreakerSettings For(CircuitBreakerOptions options, long timestampFrequency, string breakerName)
    {
        if (options.BreakJitterSeed is not null)
        {
            return new BreakerSettings(options, timestampFrequency, breakerName);
        }

        if (Volatile.Read(ref s_recent) is { } recent && recent.TimestampFrequency == timestampFrequency && recent.Options.HasSameValuesAs(options))
        {
            return recent;
        }

        var created = new BreakerSettings(options, timestampFrequency, breakerName);
        Volatile.Write(ref s_recent, created);
        return created;
    }

    /// <summary>The options in force; never handed out, so nobody can change them behind the breaker's back.</summary>
    public CircuitBreakerOptions Options { get; }

    public long TimestampFrequency { get; }

    public long SlowCallTicks { get; }

    /// <summary>How a call's duration in this clock's ticks becomes a duration bin (<see cref="DurationBins.Of"/>): kept here, once per clock, not in every breaker.</summary>
    public int DurationUnitShift { get; }

    /// <summary><see cref="CircuitBreakerOptions.LongestBreak"/>: no break, whatever chose it, is longer.</summary>
    public TimeSpan LongestBreak { get; }

    /// <summary>The longest wait a dependency may ask for: <see cref="CircuitBreakerOptions.MaxRetryAfter"/>, at most <see cref="LongestBreak"/>.</summary>
    public TimeSpan LongestRequestedBreak { get; }

    /// <summary>
    /// Whether a clock cached to the millisecond is precise enough: true unless a slow call is under a second, where a
    /// millisecond would be a visible error. (Windows and breaks are judged in far coarser units.)
    /// </summary>
    public bool UsesCoarseClock { get; }

    // Integer arithmetic, not floating-point seconds: through a double, 43 ms became 429,999 ticks, so a break ended
    // (and a call turned slow) one tick early. The cap keeps "now + duration" far from overflow.
    public long ToTimestampTicks(TimeSpan duration) => ToTimestampTicks(duration, TimestampFrequency);

    /// <summary>A duration in ticks of a clock running at <paramref name="timestampFrequency"/>, capped far from overflow.</summary>
    public static long ToTimestampTicks(TimeSpan duration, long timestampFrequency)
    {
        Int128 ticks = (Int128)duration.Ticks * timestampFrequency / TimeSpan.TicksPerSecond;
        return ticks > MaxTimestampTicks ? MaxTimestampTicks : (long)ticks;
    }

    public TimeSpan ToTimeSpan(long timestampTicks) =>
        TimeSpan.FromTicks((long)((Int128)timestampTicks * TimeSpan.TicksPerSecond / TimestampFrequency));

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

    /// <summary>
    /// Under the transition lock: <paramref name="duration"/> spread at random by <see cref="CircuitBreakerOptions.BreakJitterRatio"/>,
    /// either way, or only longer for a break the dependency asked for (so no probe comes before its time). In ticks, unclamped.
    /// </summary>
    public double Jitter(TimeSpan duration, bool onlyLonger)
    {
        double ratio = Options.BreakJitterRatio;
        if (ratio == 0)
        {
            return duration.Ticks;
        }

        double draw = (_jitter ?? Random.Shared).NextDouble();
        return duration.Ticks * (1 + (ratio * (onlyLonger ? draw : (2 * draw) - 1)));
    }

    /// <summary>A break of <paramref name="ticks"/> held between one tick and <see cref="LongestBreak"/> (compared as a double, so a huge value cannot overflow).</summary>
    public TimeSpan Clamp(double ticks) =>
        ticks >= LongestBreak.Ticks ? LongestBreak
        : ticks < 1 ? TimeSpan.FromTicks(1)
        : TimeSpan.FromTicks((long)ticks);

    public bool UsesSameWindowAs(BreakerSettings other) =>
        Options.SamplingDuration == other.Options.SamplingDuration
        && (Options.IsTimeBased || Options.SlidingWindowSize == other.Options.SlidingWindowSize);

    /// <summary>FNV-1a of the name: the same in every process (string.GetHashCode is not), so a seed replays across runs.</summary>
    private static int StableHash(string name)
    {
        uint hash = 2166136261;
        foreach (char c in name)
        {
            hash = (hash ^ c) * 16777619;
        }

        return (int)hash;
    }
}
