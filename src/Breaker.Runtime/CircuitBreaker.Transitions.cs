using System;
using System.Diagnostics;
using System.Threading;

namespace Breaker;

// Transitions: the helpers that change the state word. Each runs under _transitionLock (and asserts it); the caller
// raises the events once the lock is released.
public sealed partial class CircuitBreaker
{
    /// <summary>Under the lock: opens the circuit for the current (backed-off) break.</summary>
    private Transition Open(long now, CircuitState from)
    {
        Debug.Assert(Monitor.IsEntered(_transitionLock), "Runs under the transition lock.");
        TimeSpan breakDuration = _settings.BreakDurationAfter(_reopens);
        Volatile.Write(ref _openUntil, now + _settings.ToTimestampTicks(breakDuration));
        _opens++;
        Transition transition = Publish(CircuitState.Open, breakDuration);
        return transition with { From = from };
    }

    /// <summary>Under the lock: closes a half-open circuit whose probes all succeeded.</summary>
    private Transition CloseAfterRecovery()
    {
        Debug.Assert(Monitor.IsEntered(_transitionLock), "Runs under the transition lock.");
        ForgetHistory();
        _closes++;
        return Publish(CircuitState.Closed, null);
    }

    /// <summary>Under the lock: an empty window, no consecutive failures, no back-off.</summary>
    private void ForgetHistory()
    {
        Debug.Assert(Monitor.IsEntered(_transitionLock), "Runs under the transition lock.");
        // Emptied in place rather than replaced: a call recording concurrently still lands in a window whose lifetime
        // count is read, so the successes derived from it stay exact.
        _window.Clear();
        _armed = false;
        Volatile.Write(ref _consecutiveFailures, 0);
        _reopens = 0;
    }

    /// <summary>Under the lock: publishes <paramref name="to"/> with the next generation.</summary>
    private Transition Publish(CircuitState to, TimeSpan? breakDuration)
    {
        Debug.Assert(Monitor.IsEntered(_transitionLock), "Runs under the transition lock.");
        int word = _stateWord;
        int next = (((word >> StateBits) + 1) << StateBits) | (int)to;
        Volatile.Write(ref _stateWord, next);
        return new Transition(true, StateOf(word), to, breakDuration, _metricsOnly);
    }
}
