using System;
using System.Diagnostics;
using System.Threading;
using Breaker.Timing;
using Breaker.Windows;

namespace Breaker;

// Metrics: the counters a snapshot reads. Most are written with one interlocked increment by the path that owns them.
public sealed partial class CircuitBreaker
{
    // Successes are not counted one by one: the windows already count what they record, so the closed path pays no
    // extra interlocked write. Successful calls = calls recorded in windows - failures recorded there + the others.
    private SlidingWindow? _retiredWindow;
    private long _retiredRecords;
    private long _windowFailures;
    private long _otherSuccesses;

    private readonly StripedCounter _durations = new();
    private long _failures;
    private long _rejections;
    private long _rejectionsAnsweredByFallback;
    private long _metricsOnlyRejections;
    private long _ignored;
    private long _fallbacks;
    private long _slowCalls;
    private long _opens;
    private long _closes;
    private long _halfOpenAttempts;

    /// <summary>A snapshot of the breaker's counters and current window.</summary>
    public CircuitBreakerMetrics GetMetrics()
    {
        long now = Now();
        CircuitState state = EffectiveState(Volatile.Read(ref _stateWord), now, out bool awaitingProbe);
        WindowCounts window = _window.GetCounts(now);
        long successes = SuccessfulCalls();
        long failures = Volatile.Read(ref _failures);
        long ignored = Volatile.Read(ref _ignored);
        long rejectedNotRun = Volatile.Read(ref _rejections) + Volatile.Read(ref _rejectionsAnsweredByFallback);
        long metricsOnlyRejections = Volatile.Read(ref _metricsOnlyRejections);
        long measured = successes + failures;
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
            FallbackCalls = Volatile.Read(ref _fallbacks) + Volatile.Read(ref _rejectionsAnsweredByFallback),
            SlowCalls = Volatile.Read(ref _slowCalls),
            CircuitOpens = Volatile.Read(ref _opens),
            CircuitCloses = Volatile.Read(ref _closes),
            HalfOpenAttempts = Volatile.Read(ref _halfOpenAttempts),
            WindowCalls = window.Calls,
            WindowFailures = window.Failures,
            WindowSlowCalls = window.SlowCalls,
            FailureRate = window.FailureRate,
            SlowCallRate = window.SlowCallRate,
            AverageDuration = measured == 0 ? TimeSpan.Zero : _settings.ToTimeSpan(_durations.Sum / measured),
            RetryAfter = state == CircuitState.Open ? RetryAfter(state, now) : null,
        };
    }

    /// <summary>Counts a call answered by a fallback (generated code calls it when it uses one).</summary>
    public void RecordFallback() => Interlocked.Increment(ref _fallbacks);

    private long SuccessfulCalls()
    {
        long recorded = Volatile.Read(ref _retiredRecords) + (_retiredWindow?.Recorded ?? 0) + _window.Recorded;
        return recorded - Volatile.Read(ref _windowFailures) + Volatile.Read(ref _otherSuccesses);
    }

    /// <summary>
    /// Under the lock: starts a window of another kind or size (a reconfiguration). The old one is kept until the next
    /// replacement, so that a call still recording into it (it read the window just before the swap) is counted all the same.
    /// </summary>
    private void ReplaceWindow()
    {
        Debug.Assert(Monitor.IsEntered(_transitionLock), "Runs under the transition lock.");
        if (_retiredWindow is { } older)
        {
            _retiredRecords += older.Recorded;
        }

        _retiredWindow = _window;
        _window = SlidingWindow.Create(_settings.Options, _settings.TimestampFrequency);
        _armed = false;
    }

    private void Measure(long elapsed, bool slow)
    {
        _durations.Add(elapsed);
        if (slow)
        {
            Interlocked.Increment(ref _slowCalls);
        }
    }
}
