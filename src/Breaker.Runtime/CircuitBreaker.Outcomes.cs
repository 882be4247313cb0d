using System;
using System.Threading;
using Breaker.Telemetry;
using Breaker.Windows;

namespace Breaker;

// Outcomes: what a permit reports when its call ends, and the closed state's check of the thresholds after each one.
public sealed partial class CircuitBreaker
{
    private int _consecutiveFailures;

    // Set when the window's ratio is over a threshold but it holds fewer than MinimumThroughput calls: the next success
    // must then look at the counts, since it may be the call that reaches the minimum.
    private volatile bool _armed;

    internal void OnSuccess(in CircuitPermit permit)
    {
        long now = End(in permit);
        long elapsed = now - permit.StartTimestamp;
        BreakerSettings settings = _settings;
        bool slow = elapsed >= settings.SlowCallTicks;
        Measure(elapsed, slow);

        bool recorded = false;
        if (permit.Kind == PermitKind.Closed)
        {
            SlidingWindow window = _window;
            if (permit.StateWord == Volatile.Read(ref _stateWord))
            {
                // Sealed: the window was replaced twice since it was read above, and its final count was taken without this
                // call, which is then counted among the other successes below.
                RecordResult result = window.Record(failure: false, slow, DurationBins.Of(elapsed, settings.DurationUnitShift), now);
                recorded = result != RecordResult.Sealed;

                // Read before writing: in the common case the counter is already zero and the cache line stays shared.
                if (Volatile.Read(ref _consecutiveFailures) != 0)
                {
                    Volatile.Write(ref _consecutiveFailures, 0);
                }

                // A plain success cannot raise a ratio: look at the counts only when the window says they may have
                // crossed a threshold, or when this call may be the one that reaches the minimum throughput (of a window
                // it is in: a sealed one is in no window the breaker reads).
                // Stryker disable once Logical : evaluating after every recorded success reaches the same verdicts, only slower: a success the window calls Counted with the breaker unarmed cannot cross a threshold
                bool armedSuccess = recorded && _armed;
                if (result == RecordResult.MayTrip || armedSuccess)
                {
                    Evaluate(permit.StateWord, window, consecutiveFailures: 0, settings, now, BreakTrigger.Success(slow));
                }
            }
        }
        else if (permit.Kind == PermitKind.Probe)
        {
            // A probe that succeeds but is slow counts as a failed probe (docs/semantics.md).
            RecordProbeVerdict(in permit, success: !slow, now, slow ? CircuitTransitionReason.SlowProbe : CircuitTransitionReason.ProbesSucceeded, BreakTrigger.Success(slow));
        }

        if (!recorded)
        {
            Interlocked.Increment(ref _otherSuccesses);
        }

        EndInFlight();

        // Counts reach the Breaker meter from the counters above, read when it collects; only the opt-in per-call
        // histogram (its own meter) is written here.
        if (BreakerTelemetry.CallDuration.Enabled)
        {
            BreakerTelemetry.RecordDuration(this, BreakerTelemetry.Success, settings.ToTimeSpan(elapsed));
        }

        if (_handlers?.CallSucceeded is { } handler)
        {
            Raise(handler, new CallSucceededEventArgs(this, settings.ToTimeSpan(elapsed), slow));
        }
    }

    internal void OnFailure(in CircuitPermit permit, Exception? exception, FailureKind kind, TimeSpan requestedBreak)
    {
        long now = End(in permit);
        long elapsed = now - permit.StartTimestamp;
        BreakerSettings settings = _settings;
        bool slow = elapsed >= settings.SlowCallTicks;
        CountFailure(kind);
        Measure(elapsed, slow);

        // Only an outcome that asks for a wait (zero: none) and still decides something (its period is the current one) may
        // ask for a break, and not on a group's shared breaker: one of the many keys it serves must not hold it open for all.
        // A negative wait ends before now, which RequestedBreak reads as none.
        if (requestedBreak != TimeSpan.Zero
            && permit.Kind is PermitKind.Closed or PermitKind.Probe
            && permit.StateWord == Volatile.Read(ref _stateWord)
            && !IsSharedKey)
        {
            RememberRequestedBreak(requestedBreak, now, settings);
        }

        var trigger = new BreakTrigger(kind, exception);
        if (permit.Kind == PermitKind.Closed)
        {
            SlidingWindow window = _window;
            if (permit.StateWord == Volatile.Read(ref _stateWord))
            {
                // Counted before the window records it, so that successes derived from the two never count this call as one.
                Interlocked.Increment(ref _windowFailures);
                if (window.Record(failure: true, slow, DurationBins.Of(elapsed, settings.DurationUnitShift), now) == RecordResult.Sealed)
                {
                    // The window was replaced twice since it was read above and its final count was taken without this
                    // call: it is among no window's records, so it leaves the failures they hold, and the window in force judges.
                    Interlocked.Decrement(ref _windowFailures);
                    window = _window;
                }

                int consecutive = Interlocked.Increment(ref _consecutiveFailures);
                Evaluate(permit.StateWord, window, consecutive, settings, now, in trigger);
            }
        }
        else if (permit.Kind == PermitKind.Probe)
        {
            RecordProbeVerdict(in permit, success: false, now, slow ? CircuitTransitionReason.SlowProbe : CircuitTransitionReason.ProbeFailed, in trigger);
        }

        EndInFlight();

        if (BreakerTelemetry.CallDuration.Enabled)
        {
            BreakerTelemetry.RecordDuration(this, BreakerTelemetry.Failure, settings.ToTimeSpan(elapsed));
        }

        if (_handlers?.CallFailed is { } handler)
        {
            Raise(handler, new CallFailedEventArgs(this, kind, exception, settings.ToTimeSpan(elapsed)));
        }
    }

    internal void OnIgnored(in CircuitPermit permit)
    {
        EndInFlight(in permit);
        Interlocked.Increment(ref _ignored);
        if (permit.Kind == PermitKind.Probe && !IsOpening(permit.StateWord))
        {
            // A probe without a verdict gives its slot back, so the half-open state cannot run out of probes.
            lock (_transitionLock)
            {
                if (permit.StateWord == _stateWord)
                {
                    _break!.ProbeSlots++;
                    FinishProbe(permit.StartTimestamp);
                }
            }
        }

        EndInFlight();
    }

    /// <summary>Checks the thresholds after an outcome admitted while closed, and opens the circuit if one is met.</summary>
    private void Evaluate(int word, SlidingWindow window, int consecutiveFailures, BreakerSettings settings, long now, in BreakTrigger trigger)
    {
        CircuitBreakerOptions options = settings.Options;
        WindowCounts counts = window.GetCounts(now);

        bool overRatio = options.IsRatioThresholdReached(counts.Calls, counts.Failures, counts.SlowCalls);
        bool armed = overRatio && counts.Calls < options.MinimumThroughput;
        if (_armed != armed)
        {
            _armed = armed;
        }

        if (overRatio && !armed)
        {
            // Which ratio: each threshold checked alone (a count of zero never reaches a ratio above zero).
            Trip(word, now, options.IsRatioThresholdReached(counts.Calls, counts.Failures, 0) ? CircuitTransitionReason.FailureRatio : CircuitTransitionReason.SlowCallRatio, in trigger);
        }
        else if (options.ConsecutiveFailureThreshold > 0 && consecutiveFailures >= options.ConsecutiveFailureThreshold)
        {
            Trip(word, now, CircuitTransitionReason.ConsecutiveFailures, in trigger);
        }
    }

    private void Trip(int word, long now, CircuitTransitionReason reason, in BreakTrigger trigger)
    {
        if (IsOpening(word))
        {
            // Another call's outcome is opening this period already (its hook may be slow): no need to wait for it.
            return;
        }

        Transition transition = default;
        lock (_transitionLock)
        {
            if (word == _stateWord)
            {
                transition = Note(Open(now, CircuitState.Closed, in trigger), reason);
            }
        }

        RaiseTransition(transition);
    }
}
