using System;
using System.Diagnostics;
using System.Threading;
using Breaker.Parts;
using Breaker.Timing;

namespace Breaker;

// Transitions: the helpers that change the state word. Each runs under _transitionLock (and asserts it); the caller
// raises the events once the lock is released.
public sealed partial class CircuitBreaker
{
    // No request: below every timestamp, so "is the wait still running" is one comparison with now.
    private const long NoRequestedBreak = long.MinValue;

    // Until when the dependency asked to be left alone (Retry-After), on this breaker's clock: the latest end any deciding
    // failure asked for since the circuit last closed. Raised lock-free by failures, read under the lock by every opening
    // (until the wait is over), cleared when the circuit closes.
    private long _requestedUntil = NoRequestedBreak;

    /// <summary>Under the lock: opens the circuit for the break <see cref="ChooseBreak"/> decides.</summary>
    private Transition Open(long now, CircuitState from, in BreakTrigger trigger)
    {
        Debug.Assert(Monitor.IsEntered(_transitionLock), "Runs under the transition lock.");
        int word = _stateWord;
        BreakState breaks = Breaks();
        TimeSpan breakDuration = ChooseBreak(now, from, in trigger, out TimeSpan ownBreak, out Exception? hookError);
        if (_stateWord != word)
        {
            // The hook changed this breaker itself (Reset, Isolate: the lock lets its own thread in again). That change stands.
            return default;
        }

        Volatile.Write(ref breaks.OpenUntil, now + _settings.ToTimestampTicks(breakDuration));
        Volatile.Write(ref breaks.OwnBreakUntil, now + _settings.ToTimestampTicks(ownBreak));
        breaks.Opens++;
        Transition transition = Publish(CircuitState.Open, breakDuration);
        return transition with { From = from, HookError = hookError };
    }

    /// <summary>
    /// Under the lock: the length of the break an opening gets, in the one order docs/semantics.md gives. Everything that
    /// decides a break's length is here. <paramref name="ownBreak"/> is what the break would be without the dependency's
    /// Retry-After (the chosen one when the Retry-After did not lengthen it).
    /// </summary>
    private TimeSpan ChooseBreak(long now, CircuitState from, in BreakTrigger trigger, out TimeSpan ownBreak, out Exception? hookError)
    {
        Debug.Assert(Monitor.IsEntered(_transitionLock), "Runs under the transition lock.");
        BreakerSettings settings = _settings;
        BreakState breaks = Breaks();
        hookError = null;

        // 1. Back-off: the configured break, multiplied for each failed probe in a row, capped at MaxBreakDuration.
        TimeSpan backedOff = settings.BreakDurationAfter(breaks.Reopens);

        // 2. Retry-After: what the dependency asked for (the time left of it) can lengthen the break, never shorten it. One
        // exactly as long as the back-off is asked for too: jittered either way, the break could end before the wait does.
        TimeSpan? requested = RequestedBreak(now, settings);
        bool asked = requested >= backedOff;
        TimeSpan chosen = asked ? requested!.Value : backedOff;

        // 3. The hook has the last word on the length, knowing both.
        if (settings.Options.BreakDurationHook is { } hook)
        {
            // Calls of this period that would otherwise wait for the lock return at once, since the opening is certain.
            Volatile.Write(ref breaks.OpeningWord, _stateWord);
            try
            {
                if (hook(new BreakContext(this, from, in trigger, requested, breaks.Reopens + 1, backedOff)) is { } answer)
                {
                    if (answer > TimeSpan.Zero)
                    {
                        chosen = answer;
                        asked = false;
                    }
                    else
                    {
                        hookError = new ArgumentOutOfRangeException(
                            nameof(CircuitBreakerOptions.BreakDurationHook),
                            answer,
                            $"The break-duration hook of circuit breaker '{Name}' returned {answer}; a break must be positive (or null for the default).");
                    }
                }
            }
            catch (Exception error)
            {
                // The hook's fault is the hook's: the circuit still opens, for the default break, and the fault is reported.
                hookError = error;
            }
        }

        // 4. Jitter, drawn once for this opening. 5. Clamp: positive, and at most the longest break this breaker takes.
        TimeSpan final = settings.Clamp(settings.Jitter(chosen, onlyLonger: asked));
        ownBreak = asked ? backedOff : final;
        return final;
    }

    /// <summary>What is left of the wait the dependency asked for, at most what it may ask for now; null when none is running.</summary>
    private TimeSpan? RequestedBreak(long now, BreakerSettings settings)
    {
        long until = Volatile.Read(ref _requestedUntil);
        if (until <= now)
        {
            return null;
        }

        // Held again here: a reconfiguration since the request may have lowered the cap.
        return TimeSpan.FromTicks(Math.Min(settings.ToTimeSpan(until - now).Ticks, settings.LongestRequestedBreak.Ticks));
    }

    /// <summary>
    /// Remembers that a failure of the current period asked for a break (an HTTP Retry-After) until now + <paramref name="requested"/>:
    /// the latest end asked for wins, lock-free, since failures record concurrently. Only non-zero waits come here (OnFailure); a
    /// negative one ends in the past, which <see cref="RequestedBreak"/> reads as none.
    /// </summary>
    private void RememberRequestedBreak(TimeSpan requested, long now, BreakerSettings settings) =>
        HighWaterMark.Raise(ref _requestedUntil, now + settings.ToTimestampTicks(TimeSpan.FromTicks(Math.Min(requested.Ticks, settings.LongestRequestedBreak.Ticks))));

    /// <summary>Whether the period <paramref name="word"/> is being closed by an opening that is choosing its break: its fate is sealed.</summary>
    private bool IsOpening(int word) => _break is { } breaks && Volatile.Read(ref breaks.OpeningWord) == word;

    /// <summary>Under the lock: closes a half-open circuit whose probes all succeeded.</summary>
    private Transition CloseAfterRecovery()
    {
        Debug.Assert(Monitor.IsEntered(_transitionLock), "Runs under the transition lock.");
        ForgetHistory();
        _break!.Closes++;
        return Publish(CircuitState.Closed, null);
    }

    /// <summary>Under the lock: an empty window, no consecutive failures, no back-off.</summary>
    private void ForgetHistory()
    {
        Debug.Assert(Monitor.IsEntered(_transitionLock), "Runs under the transition lock.");
        // Emptied in place rather than replaced: a call recording concurrently still lands in a window whose lifetime
        // count is read, so the successes derived from it stay exact.
        _window.Clear();
        Volatile.Write(ref _consecutiveFailures, 0);
        Volatile.Write(ref _requestedUntil, NoRequestedBreak);
        if (_break is { } breaks)
        {
            breaks.Reopens = 0;
        }

        _inFlight?.ForgetBefore(Now());
    }

    /// <summary>Under the lock: the break state, made (and published) the first time the circuit leaves the closed state.</summary>
    private BreakState Breaks()
    {
        Debug.Assert(Monitor.IsEntered(_transitionLock), "Runs under the transition lock.");
        return _break ??= new BreakState();
    }

    /// <summary>Under the lock: publishes <paramref name="to"/> with the next generation (the break state first, for any state but closed).</summary>
    private Transition Publish(CircuitState to, TimeSpan? breakDuration)
    {
        Debug.Assert(Monitor.IsEntered(_transitionLock), "Runs under the transition lock.");
        if (to != CircuitState.Closed)
        {
            Breaks();
        }

        int word = _stateWord;

        // Setting every state bit and adding one clears them and carries into the generation above: the next generation,
        // wrapping (unchecked) after 2^29 changes of state, with the new state in the low bits.
        int next = ((word | StateMask) + 1) | (int)to;
        Volatile.Write(ref _stateWord, next);
        return new Transition(true, StateOf(word), to, breakDuration, _metricsOnly);
    }
}
