using System;

namespace Breaker;

/// <summary>
/// The settings of one circuit breaker. Bindable from configuration; <see cref="Validate()"/> rejects values that cannot work.
/// </summary>
public sealed class CircuitBreakerOptions
{
    /// <summary>The largest count-based window supported.</summary>
    public const int MaxSlidingWindowSize = BreakerLimits.MaxSlidingWindowSize;

    /// <summary>The longest <see cref="Timeout"/>: 4,294,967,294 ms (about 49.7 days), the longest delay a <see cref="System.Threading.CancellationTokenSource"/> accepts.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromMilliseconds(BreakerLimits.MaxTimeoutMs);

    /// <summary>The failure ratio, in (0, 1], at which a closed circuit opens. Default 0.5.</summary>
    public double FailureRatio { get; set; } = BreakerDefaults.FailureRatio;

    /// <summary>How many calls the window must hold before a ratio can open the circuit. Default 10.</summary>
    public int MinimumThroughput { get; set; } = BreakerDefaults.MinimumThroughput;

    /// <summary>How many of the most recent calls a count-based window holds. Default 100. Ignored when <see cref="SamplingDuration"/> is set.</summary>
    public int SlidingWindowSize { get; set; } = BreakerDefaults.SlidingWindowSize;

    /// <summary><see cref="TimeSpan.Zero"/> (the default) selects a count-based window; a positive value a time-based window of that length.</summary>
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromMilliseconds(BreakerDefaults.SamplingDurationMs);

    /// <summary>Opens the circuit after this many failures in a row, whatever the ratio. Default 0 (off).</summary>
    public int ConsecutiveFailureThreshold { get; set; } = BreakerDefaults.ConsecutiveFailureThreshold;

    /// <summary>How long the circuit stays open before it admits probes. Default 60 seconds.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromMilliseconds(BreakerDefaults.BreakDurationMs);

    /// <summary>Successful probes needed to close a half-open circuit; also the most probes admitted per half-open period. Default 3.</summary>
    public int SuccessThreshold { get; set; } = BreakerDefaults.SuccessThreshold;

    /// <summary>
    /// A call still running after this long counts as a <see cref="FailureKind.Timeout"/>. Default <see cref="TimeSpan.Zero"/>
    /// (no timeout); at most <see cref="MaxTimeout"/>.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMilliseconds(BreakerDefaults.TimeoutMs);

    /// <summary>A call taking at least this long is slow. Default 10 seconds.</summary>
    public TimeSpan SlowCallDuration { get; set; } = TimeSpan.FromMilliseconds(BreakerDefaults.SlowCallDurationMs);

    /// <summary>The slow-call ratio, in (0, 1], at which a closed circuit opens. Default 0.5.</summary>
    public double SlowCallRatio { get; set; } = BreakerDefaults.SlowCallRatio;

    /// <summary>
    /// Opt-in: notice slow calls while they are still running, rather than when they end. Calls admitted while closed are
    /// counted by when they started; when at least <see cref="MinimumThroughput"/> started between two and one
    /// <see cref="SlowCallDuration"/>s ago and the share of them still running reaches <see cref="SlowCallRatio"/>, the circuit
    /// opens (<see cref="CircuitTransitionReason.SlowCallsInFlight"/>), without waiting for them to time out and without the
    /// healthy calls of the window diluting them. Judged when a call arrives. Default <see langword="false"/>.
    /// </summary>
    public bool CountSlowCallsInFlight { get; set; }

    /// <summary>Each time a half-open circuit opens again, the break grows by this factor (at least 1). Default 1 (no back-off).</summary>
    public double BreakDurationMultiplier { get; set; } = BreakerDefaults.BreakDurationMultiplier;

    /// <summary>
    /// The longest a break can be, however it was chosen: back-off, a <c>Retry-After</c>, <see cref="BreakDurationHook"/>, jitter
    /// or another instance of a fleet (see <see cref="LongestBreak"/>). Default 30 minutes; must be at least
    /// <see cref="BreakDuration"/> when back-off is on.
    /// </summary>
    public TimeSpan MaxBreakDuration { get; set; } = TimeSpan.FromMilliseconds(BreakerDefaults.MaxBreakDurationMs);

    /// <summary>
    /// The longest break a dependency may ask for (an HTTP <c>Retry-After</c>, <see cref="CircuitPermit.RecordFailure(Exception?, FailureKind, TimeSpan)"/>):
    /// a longer wait is held to this (and to <see cref="LongestBreak"/>). Default 5 minutes, so that whoever answers the
    /// calls cannot hold a breaker open for half an hour with one header. A keyed group's shared breaker honors no such request.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMilliseconds(BreakerDefaults.MaxRetryAfterMs);

    /// <summary>
    /// For a keyed group (one breaker per key, <see cref="CircuitBreakerGroup"/>): how many keys may have a breaker at once,
    /// from 1 to 1,000,000. Default 1,000. A new key that finds the group full, with no key it may evict, shares the group's
    /// <see cref="CircuitBreakerGroup.SharedBreaker"/>. A breaker on its own ignores it.
    /// </summary>
    public int MaxKeys { get; set; } = BreakerDefaults.MaxKeys;

    /// <summary>
    /// For a keyed group: how long a key must go unused before its breaker may be evicted to make room for a new key (an
    /// open breaker is kept until its break is over, an isolated or metrics-only one until it is reset). Default 5 minutes.
    /// A breaker on its own ignores it.
    /// </summary>
    public TimeSpan KeyIdleTimeout { get; set; } = TimeSpan.FromMilliseconds(BreakerDefaults.KeyIdleTimeoutMs);

    /// <summary>
    /// For a keyed group: whether metrics carry each key (a <c>breaker.key</c> tag, and one <c>breaker.state</c> series per
    /// key) besides the group's name. Default <see langword="false"/>: one series per group, whatever the number of keys.
    /// A breaker on its own ignores it.
    /// </summary>
    public bool MetricsPerKey { get; set; }

    /// <summary>
    /// Spreads each break's end at random by up to this share of its length, chosen once per opening, so that breakers
    /// that opened together (keyed breakers, the instances of a service) do not all probe at the same instant: 0.1 ends a
    /// 60-second break between 54 and 66 seconds. A break the dependency asked for (<c>Retry-After</c>) is only lengthened.
    /// At least 0 (the default: no jitter) and less than 1.
    /// </summary>
    public double BreakJitterRatio { get; set; } = BreakerDefaults.BreakJitterRatio;

    /// <summary>
    /// Makes the jitter repeatable (tests, simulations): the breaker draws from a generator seeded with this value and its
    /// name, so two breakers with one seed still spread differently. <see langword="null"/> (the default) draws from
    /// <c>Random.Shared</c>.
    /// </summary>
    public int? BreakJitterSeed { get; set; }

    /// <summary>
    /// Chooses the length of a break when the circuit opens (from closed, after a failed or stuck probe, or for a fleet),
    /// given what the breaker knows then; <see langword="null"/> keeps the default (the backed-off break, or longer if the
    /// dependency asked). Called only when opening, under the breaker's lock: keep it quick. A hook that throws or returns
    /// a break that is not positive gets the default, and <see cref="CircuitBreaker.BreakDurationHookFailed"/> is raised.
    /// Its answer is then jittered and held to <see cref="LongestBreak"/>. docs/semantics.md gives the whole order.
    /// </summary>
    public Func<BreakContext, TimeSpan?>? BreakDurationHook { get; set; }

    /// <summary>
    /// For <see cref="CircuitBreaker.Execute{TResult}(Func{TResult})"/> and friends: which exceptions count as failures.
    /// <see langword="null"/> (the default) counts every exception except the caller's own cancellation.
    /// </summary>
    public Func<Exception, bool>? ShouldHandle { get; set; }

    /// <summary>Whether the window is time-based (<see cref="SamplingDuration"/> &gt; 0) rather than count-based.</summary>
    public bool IsTimeBased => SamplingDuration > TimeSpan.Zero;

    /// <summary>
    /// The longest break this breaker takes, from any source (back-off, <c>Retry-After</c>, the hook, jitter, another
    /// instance): <see cref="MaxBreakDuration"/>, or <see cref="BreakDuration"/> when that is longer (without back-off the
    /// two need not be ordered), so a break is never cut below the one configured.
    /// </summary>
    public TimeSpan LongestBreak => BreakDuration > MaxBreakDuration ? BreakDuration : MaxBreakDuration;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/>, naming the option and its allowed range, for the first invalid setting.</summary>
    public void Validate() => Validate(breakerName: null);

    /// <summary>Like <see cref="Validate()"/>, with the breaker's name at the start of the message.</summary>
    /// <param name="breakerName">The name of the breaker these options are for.</param>
    public void Validate(string? breakerName)
    {
        string prefix = breakerName is null ? string.Empty : $"Circuit breaker '{breakerName}': ";
        Require(prefix, nameof(FailureRatio), FailureRatio, BreakerLimits.Ratio(FailureRatio));
        Require(prefix, nameof(SlowCallRatio), SlowCallRatio, BreakerLimits.Ratio(SlowCallRatio));
        Require(prefix, nameof(MinimumThroughput), MinimumThroughput, BreakerLimits.MinimumThroughput(MinimumThroughput));
        Require(prefix, nameof(SamplingDuration), SamplingDuration, BreakerLimits.SamplingDurationMs(SamplingDuration.TotalMilliseconds));
        if (!IsTimeBased)
        {
            Require(prefix, nameof(SlidingWindowSize), SlidingWindowSize, BreakerLimits.SlidingWindowSize(SlidingWindowSize));
            Require(prefix, nameof(SlidingWindowSize), SlidingWindowSize, BreakerLimits.WindowHoldsThroughput(SlidingWindowSize, MinimumThroughput));
        }

        Require(prefix, nameof(ConsecutiveFailureThreshold), ConsecutiveFailureThreshold, BreakerLimits.ConsecutiveFailureThreshold(ConsecutiveFailureThreshold));
        Require(prefix, nameof(BreakDuration), BreakDuration, BreakerLimits.BreakDurationMs(BreakDuration.TotalMilliseconds));
        Require(prefix, nameof(SuccessThreshold), SuccessThreshold, BreakerLimits.SuccessThreshold(SuccessThreshold));
        Require(prefix, nameof(Timeout), Timeout, BreakerLimits.TimeoutMs(Timeout.TotalMilliseconds));
        Require(prefix, nameof(SlowCallDuration), SlowCallDuration, BreakerLimits.SlowCallDurationMs(SlowCallDuration.TotalMilliseconds));
        Require(prefix, nameof(BreakDurationMultiplier), BreakDurationMultiplier, BreakerLimits.BreakDurationMultiplier(BreakDurationMultiplier));
        Require(prefix, nameof(MaxBreakDuration), MaxBreakDuration, BreakerLimits.MaxBreakDurationMs(MaxBreakDuration.TotalMilliseconds));
        Require(prefix, nameof(MaxRetryAfter), MaxRetryAfter, BreakerLimits.MaxRetryAfterMs(MaxRetryAfter.TotalMilliseconds));
        Require(prefix, nameof(MaxKeys), MaxKeys, BreakerLimits.MaxKeys(MaxKeys));
        Require(prefix, nameof(KeyIdleTimeout), KeyIdleTimeout, BreakerLimits.KeyIdleTimeoutMs(KeyIdleTimeout.TotalMilliseconds));
        Require(prefix,
            nameof(MaxBreakDuration),
            MaxBreakDuration,
            BreakerLimits.MaxBreakCoversBreak(MaxBreakDuration.TotalMilliseconds, BreakDuration.TotalMilliseconds, BreakDurationMultiplier));
        Require(prefix, nameof(BreakJitterRatio), BreakJitterRatio, BreakerLimits.BreakJitterRatio(BreakJitterRatio));
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

    /// <summary>Whether every setting of <paramref name="other"/> has this one's value (hooks compared by reference): breakers with such options can share their settings.</summary>
    internal bool HasSameValuesAs(CircuitBreakerOptions other) =>
        FailureRatio == other.FailureRatio
        && MinimumThroughput == other.MinimumThroughput
        && SlidingWindowSize == other.SlidingWindowSize
        && SamplingDuration == other.SamplingDuration
        && ConsecutiveFailureThreshold == other.ConsecutiveFailureThreshold
        && BreakDuration == other.BreakDuration
        && SuccessThreshold == other.SuccessThreshold
        && Timeout == other.Timeout
        && SlowCallDuration == other.SlowCallDuration
        && SlowCallRatio == other.SlowCallRatio
        && CountSlowCallsInFlight == other.CountSlowCallsInFlight
        && BreakDurationMultiplier == other.BreakDurationMultiplier
        && MaxBreakDuration == other.MaxBreakDuration
        && MaxRetryAfter == other.MaxRetryAfter
        && MaxKeys == other.MaxKeys
        && KeyIdleTimeout == other.KeyIdleTimeout
        && MetricsPerKey == other.MetricsPerKey
        && BreakJitterRatio == other.BreakJitterRatio
        && BreakJitterSeed == other.BreakJitterSeed
        && BreakDurationHook == other.BreakDurationHook
        && ShouldHandle == other.ShouldHandle;

    /// <summary>Returns a copy of these options.</summary>
    public CircuitBreakerOptions Clone() => (CircuitBreakerOptions)MemberwiseClone();

    /// <summary>Throws for a setting that broke its rule (<paramref name="rule"/> says what it must be), naming it and its value.</summary>
    private static void Require(string prefix, string name, object value, string? rule)
    {
        if (rule is not null)
        {
            throw new ArgumentOutOfRangeException(name, $"{prefix}{name} {rule} (was {value}).");
        }
    }
}
