using System.Diagnostics;
using System.Threading;

namespace Breaker;

// The half-open state: probe slots, the probes running, and their verdict.
public sealed partial class CircuitBreaker
{
    private long _oldestProbeStart = long.MaxValue;
    private int _reopens;
    private int _probeSlots;
    private int _probeSuccesses;

    // Made when the circuit first half-opens: most breakers never do.
    private ProbeStarts? _probeStarts;

    private bool TryTakeProbeSlot(int word, long now, out bool retry)
    {
        retry = false;
        BreakerSettings settings = _settings;
        long breakTicks = settings.ToTimestampTicks(settings.BreakDurationAfter(Volatile.Read(ref _reopens)));

        // Rejections while every probe slot is taken, or while a failed probe reopens the circuit, stay lock-free like
        // rejections while open.
        if ((Volatile.Read(ref _probeSlots) == 0 && now - Volatile.Read(ref _oldestProbeStart) < breakTicks) || IsOpening(word))
        {
            return false;
        }

        Transition transition = default;
        lock (_transitionLock)
        {
            if (word != _stateWord)
            {
                retry = true;
                return false;
            }

            if (_probeSlots > 0)
            {
                _probeSlots--;
                _halfOpenAttempts++;
                ProbeStarts probes = _probeStarts ??= new ProbeStarts();
                probes.Add(now);
                Volatile.Write(ref _oldestProbeStart, probes.Oldest);
                return true;
            }

            if (now - _oldestProbeStart >= breakTicks)
            {
                // A probe still running a whole break after it started counts as failed (docs/semantics.md): reopen, and let
                // the caller look again so its rejection reports the open circuit and when to retry.
                _reopens++;
                transition = Note(Open(now, CircuitState.HalfOpen, BreakTrigger.None), CircuitTransitionReason.ProbeStuck);
                retry = true;
            }
        }

        RaiseTransition(transition);
        return false;
    }

    private void EnterHalfOpen(int word)
    {
        Transition transition = default;
        lock (_transitionLock)
        {
            if (word == _stateWord)
            {
                _probeSlots = _settings.Options.SuccessThreshold;
                _probeSuccesses = 0;
                (_probeStarts ??= new ProbeStarts()).Clear(_probeSlots);
                Volatile.Write(ref _oldestProbeStart, long.MaxValue);
                transition = Note(Publish(CircuitState.HalfOpen, null), CircuitTransitionReason.BreakOver);
            }
        }

        RaiseTransition(transition);
    }

    /// <summary>
    /// Records a probe's verdict; <paramref name="reason"/> is why the circuit moves, if this verdict moves it, and
    /// <paramref name="trigger"/> the outcome that reopens it, if it does.
    /// </summary>
    private void RecordProbeVerdict(in CircuitPermit permit, bool success, long now, CircuitTransitionReason reason, in BreakTrigger trigger)
    {
        if (IsOpening(permit.StateWord))
        {
            // Another probe's failure is reopening the circuit: this period's verdict is in, and this one decides nothing.
            return;
        }

        Transition transition = default;
        lock (_transitionLock)
        {
            if (permit.StateWord != _stateWord)
            {
                return;
            }

            FinishProbe(permit.StartTimestamp);
            if (!success)
            {
                _reopens++;
                transition = Note(Open(now, CircuitState.HalfOpen, in trigger), reason);
            }
            else if (++_probeSuccesses >= _settings.Options.SuccessThreshold)
            {
                transition = Note(CloseAfterRecovery(), reason);
            }
        }

        RaiseTransition(transition);
    }

    /// <summary>Under the lock: a probe of the current period is no longer running.</summary>
    private void FinishProbe(long start)
    {
        Debug.Assert(Monitor.IsEntered(_transitionLock), "Runs under the transition lock.");
        _probeStarts?.Remove(start);
        Volatile.Write(ref _oldestProbeStart, _probeStarts?.Oldest ?? long.MaxValue);
    }
}
