using System;
using System.Diagnostics;
using System.Threading;
using Breaker.Parts;
using Breaker.Telemetry;
using Breaker.Timing;
using Breaker.Windows;

namespace Breaker;

// Metrics: the counters a snapshot reads. Most are written with one interlocked increment by the path that owns them.
public sealed partial class CircuitBreaker
{
    // Successes are not counted one by one: the windows already count what they record, so the closed path pays no
    // extra interlocked write. Successful calls = calls recorded in windows - failures recorded there + the others.
    // Every derivation is a lower bound of the true count (failures are counted before the window records them, and a
    // window replacement makes readers retry), but two in a row can fall: a read between a failure's count and its record
    // sees one call fewer, and so does one that overlaps a bucket's calls moving to the evicted total. What is published is
    // the highest derivation so far (_publishedSuccesses), so the count never goes back and never exceeds the calls made.
    // Windows replaced: the current one and the one retired last are read live; those before are sealed into _retiredRecords
    // (see ReplaceWindow), and a call that reaches a sealed window is counted by its caller instead, so none is lost.
    private SlidingWindow? _retiredWindow;
    private long _publishedSuccesses;
    private long _retiredRecords;
    private long _windowFailures;
    private long _otherSuccesses;
    private int _windowReplacements;

    // Time spent in calls, one counter until two threads add to it at once (see StripedCounter): not readonly, it is a struct.
    private StripedCounter _durations;

    // Made when a meter first reports this breaker on its own (most keys are reported through their group's series).
    private BreakerSeries? _series;
    private FailureCounts _failures;
    private long _ignored;
    private long _fallbacks;
    private long _slowCalls;

    /// <summary>A snapshot of the breaker's counters and current window.</summary>
    public CircuitBreakerMetrics GetMetrics()
    {
        long now = Now();
        CircuitState state = EffectiveState(Volatile.Read(ref _stateWord), now, out bool awaitingProbe);
        WindowCounts window = _window.GetCounts(now);
        long successes = SuccessfulCalls();
        long failures = FailedCalls();
        long ignored = Volatile.Read(ref _ignored);
        BreakState? breaks = _break;
        long answeredByFallback = breaks is null ? 0 : Volatile.Read(ref breaks.RejectionsAnsweredByFallback);
        long rejectedNotRun = breaks is null ? 0 : Volatile.Read(ref breaks.Rejections) + answeredByFallback;
        long metricsOnlyRejections = breaks is null ? 0 : Volatile.Read(ref breaks.MetricsOnlyRejections);
        long measured = successes + failures;
        var durations = WindowDurations.Read(_window, now, _settings.DurationUnitShift);
        return new CircuitBreakerMetrics
        {
            Name = Name,
            State = state,
            AwaitingProbe = awaitingProbe,
            SuccessfulCalls = successes,
            FailedCalls = failures,
            TotalCalls = successes + failures + ignored + rejectedNotRun,
            RejectedCalls = rejectedNotRun + metricsOnlyRejections,
            IgnoredCalls = ignored,
            FallbackCalls = Volatile.Read(ref _fallbacks) + answeredByFallback,
            SlowCalls = Volatile.Read(ref _slowCalls),
            CircuitOpens = breaks is null ? 0 : Volatile.Read(ref breaks.Opens),
            CircuitCloses = breaks is null ? 0 : Volatile.Read(ref breaks.Closes),
            HalfOpenAttempts = breaks is null ? 0 : Volatile.Read(ref breaks.HalfOpenAttempts),
            WindowCalls = window.Calls,
            WindowFailures = window.Failures,
            WindowSlowCalls = window.SlowCalls,
            FailureRate = window.FailureRate,
            SlowCallRate = window.SlowCallRate,
            AverageDuration = measured == 0 ? TimeSpan.Zero : _settings.ToTimeSpan(_durations.Sum / measured),
            DurationP50 = ToTimeSpan(durations.P50),
            DurationP95 = ToTimeSpan(durations.P95),
            DurationP99 = ToTimeSpan(durations.P99),
            RetryAfter = state == CircuitState.Open ? RetryAfter(state, now) : null,
        };
    }

    /// <summary>Counts a call answered by a fallback (generated code calls it when it uses one).</summary>
    public void RecordFallback() => Interlocked.Increment(ref _fallbacks);

    /// <summary>The percentiles of the durations of the calls in the window (see <see cref="DurationBins"/>), for the meter.</summary>
    internal WindowDurations ReadWindowDurations() => WindowDurations.Read(_window, Now(), _settings.DurationUnitShift);

    /// <summary>Time spent in calls that ran, in seconds, for the meter.</summary>
    internal double TotalDurationSeconds() => (double)_durations.Sum / _settings.TimestampFrequency;

    /// <summary>
    /// The tags this breaker's measurements carry, built on first use: a key's breaker is measured under its group's series
    /// unless the group reports keys.
    /// </summary>
    internal BreakerSeries Series => OwningGroup is { MetricsPerKey: false } group ? group.Series : Volatile.Read(ref _series) ?? CreateSeries();

    /// <summary>Failed calls of one (defined) kind; a failure reported with an undefined kind counts as <see cref="FailureKind.Exception"/>.</summary>
    internal long FailedCalls(FailureKind kind) => Volatile.Read(ref _failures[(int)kind]);

    internal long IgnoredCalls() => Volatile.Read(ref _ignored);

    /// <summary>Every rejection: those that did not run, and in metrics-only mode those that would have been.</summary>
    internal long RejectedCalls() =>
        _break is not { } breaks ? 0
        : Volatile.Read(ref breaks.Rejections) + Volatile.Read(ref breaks.RejectionsAnsweredByFallback) + Volatile.Read(ref breaks.MetricsOnlyRejections);

    /// <summary>
    /// Successes as published: never less than any earlier read returned, never more than the true count. A read derives a
    /// lower bound (<see cref="DeriveSuccesses"/>) and returns the larger of it and the highest one published before, which it
    /// raises lock-free.
    /// </summary>
    internal long SuccessfulCalls() => HighWaterMark.Raise(ref _publishedSuccesses, DeriveSuccesses());

    /// <summary>
    /// Successes, derived from what the windows recorded. Never more than the true count: the windows' records are read
    /// before the failures among them (which are counted first), and a read that overlaps a window replacement starts again.
    /// </summary>
    private long DeriveSuccesses()
    {
        var spinner = default(SpinWait);
        while (true)
        {
            int replacements = Volatile.Read(ref _windowReplacements);
            if ((replacements & 1) == 0)
            {
                long recorded = Volatile.Read(ref _retiredRecords) + (Volatile.Read(ref _retiredWindow)?.Recorded ?? 0) + _window.Recorded;
                long successes = recorded - Volatile.Read(ref _windowFailures) + Volatile.Read(ref _otherSuccesses);
                if (Volatile.Read(ref _windowReplacements) == replacements)
                {
                    return successes;
                }
            }

            spinner.SpinOnce();
        }
    }

    private long FailedCalls()
    {
        long failures = 0;
        for (int kind = 0; kind < FailureCounts.Length; kind++)
        {
            failures += Volatile.Read(ref _failures[kind]);
        }

        return failures;
    }

    private void CountFailure(FailureKind kind) =>
        Interlocked.Increment(ref _failures[(uint)kind < FailureCounts.Length ? (int)kind : (int)FailureKind.Exception]);

    /// <summary>The breaker's own series, made once: every reader gets the same one, which remembers what it reported.</summary>
    private BreakerSeries CreateSeries()
    {
        var created = new BreakerSeries(OwningGroup?.Name ?? Name, KeyName);
        return Interlocked.CompareExchange(ref _series, created, null) ?? created;
    }

    private TimeSpan? ToTimeSpan(double? timestampTicks) =>
        timestampTicks is double ticks ? TimeSpan.FromTicks((long)Math.Round(ticks * TimeSpan.TicksPerSecond / _settings.TimestampFrequency)) : null;

    /// <summary>
    /// Under the lock: starts a window of another kind or size (a reconfiguration). The old one is kept until the next
    /// replacement, so that a call still recording into it (it read the window just before the swap) is counted all the same.
    /// At the next replacement it is sealed, not just read: a call that read it before both swaps (its thread descheduled
    /// between reading the window and recording, while the options changed twice) used to land after its count was taken,
    /// and was lost, so the published successes fell short for good. The seal counts each such call exactly once: in the
    /// window's final count, or (told the window is sealed) by the caller.
    /// </summary>
    private void ReplaceWindow()
    {
        Debug.Assert(Monitor.IsEntered(_transitionLock), "Runs under the transition lock.");

        // Odd while the windows move, so that a reader adding them up cannot count the retired one twice.
        Interlocked.Increment(ref _windowReplacements);
        if (_retiredWindow is { } older)
        {
            _retiredRecords += older.Seal();
        }

        _retiredWindow = _window;
        _window = SlidingWindow.Create(_settings.Options, _settings.TimestampFrequency);
        _armed = false;
        Interlocked.Increment(ref _windowReplacements);
    }

    private void Measure(long elapsed, bool slow)
    {
        // A call the cached clock timed at zero adds nothing to the sum: skip the write.
        if (elapsed > 0)
        {
            _durations.Add(elapsed);
        }

        if (slow)
        {
            Interlocked.Increment(ref _slowCalls);
        }
    }

#if NET8_0_OR_GREATER
    /// <summary>Failed calls by <see cref="FailureKind"/>, one counter each, inline in the breaker.</summary>
    [System.Runtime.CompilerServices.InlineArray(Length)]
    private struct FailureCounts
    {
        public const int Length = (int)FailureKind.SlowCall + 1;

        private long _count;
    }
#endif
}
