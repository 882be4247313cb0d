using System.Diagnostics;
using System.Threading;
using Breaker.Parts;

namespace Breaker;

// The half-open state: probe slots, the probes running, and their verdict, kept in the break state (Parts/BreakState.cs),
// which exists whenever the circuit is not closed.
public sealed partial class CircuitBreaker
{
    private bool TryTakeProbeSlot(int word, long now, out bool retry)
    {
        retry = false;
        BreakerSettings settings = _settings;
        BreakState breaks = _break!;
        long breakTicks = settings.ToTimestampTicks(settings.BreakDurationAfter(Volatile.Read(ref breaks.Reopens)));

        // Rejections while every probe slot is taken, or while a failed probe reopens the circuit, stay lock-free like
        // rejections while open.
        if ((Volatile.Read(ref breaks.ProbeSlots) == 0 && now - Volatile.Read(ref breaks.OldestProbeStart) < breakTicks) || IsOpening(word))
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

            if (breaks.ProbeSlots > 0)
            {
                breaks.ProbeSlots--;
                breaks.HalfOpenAttempts++;
                breaks.ProbeStarts.Add(now);
                Volatile.Write(ref breaks.OldestProbeStart, breaks.ProbeStarts.Oldest);
                return true;
            }

            if (now - breaks.OldestProbeStart >= breakTicks)
            {
                // A probe still running a whole break after it started counts as failed (docs/semantics.md): reopen, and let
                // the caller look again so its rejection reports the open circuit and when to retry.
                breaks.Reopens++;
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
                BreakState breaks = _break!;
                breaks.ProbeSlots = _settings.Options.SuccessThreshold;
                breaks.ProbeSuccesses = 0;
                breaks.ProbeStarts.Clear(breaks.ProbeSlots);
                Volatile.Write(ref breaks.OldestProbeStart, long.MaxValue);
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
            BreakState breaks = _break!;
            if (!success)
            {
                breaks.Reopens++;
                transition = Note(Open(now, CircuitState.HalfOpen, in trigger), reason);
            }
            else if (++breaks.ProbeSuccesses >= _settings.Options.SuccessThreshold)
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
        BreakState breaks = _break!;
        breaks.ProbeStarts.Remove(start);
        Volatile.Write(ref breaks.OldestProbeStart, breaks.ProbeStarts.Oldest);
    }
}
