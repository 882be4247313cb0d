using System;
using System.Threading;
using Breaker.Parts;

namespace Breaker;

// Manual control: isolating, resetting, breaks, metrics-only mode and reconfiguration, decided by the application (or a
// test) rather than by calls. A shared breaker cannot be changed by hand in a CircuitBreakerScope's flow: it would change
// every other test's breaker and not the scope's one, which the calls there use.
public sealed partial class CircuitBreaker
{
    /// <summary>Holds the circuit open until <see cref="Reset"/>; every call is rejected meanwhile.</summary>
    /// <exception cref="InvalidOperationException">A <see cref="CircuitBreakerScope"/> is current and this is a shared breaker (change the scope's one).</exception>
    public void Isolate()
    {
        CircuitBreakerScope.ThrowIfShadowed(this, nameof(Isolate));
        ChangeByHand(CircuitState.Isolated, metricsOnly: false);
    }

    /// <summary>Closes the circuit and forgets the window, the consecutive failures and the back-off. Ends metrics-only mode.</summary>
    /// <exception cref="InvalidOperationException">A <see cref="CircuitBreakerScope"/> is current and this is a shared breaker (change the scope's one).</exception>
    public void Reset()
    {
        CircuitBreakerScope.ThrowIfShadowed(this, nameof(Reset));
        ChangeByHand(CircuitState.Closed, metricsOnly: false);
    }

    /// <summary>
    /// Opens the circuit now, as its own failures would: calls are rejected for its break (<see cref="CircuitBreakerOptions.BreakDuration"/>,
    /// backed off after failed probes), then the next call probes. A closed, half-open or isolated circuit opens, metrics-only mode
    /// ends, an open one starts its break again (never ending sooner than it would have). Counted in <see cref="CircuitBreakerMetrics.CircuitOpens"/>. For tests, and for
    /// operators who know the dependency is down.
    /// </summary>
    /// <exception cref="InvalidOperationException">A <see cref="CircuitBreakerScope"/> is current and this is a shared breaker (change the scope's one).</exception>
    public void StartBreak()
    {
        CircuitBreakerScope.ThrowIfShadowed(this, nameof(StartBreak));
        long now = Now();
        Transition transition;
        lock (_transitionLock)
        {
            CircuitState before = _metricsOnly ? CircuitState.MetricsOnly : StateOf(_stateWord);
            if (before == CircuitState.Open)
            {
                // Still the same open period: only its end moves, and only later, so a break a Retry-After or the hook
                // made longer is never cut short by hand.
                BreakState breaks = _break!;
                Volatile.Write(ref breaks.OpenUntil, Math.Max(breaks.OpenUntil, now + _settings.ToTimestampTicks(_settings.BreakDurationAfter(breaks.Reopens))));
                Volatile.Write(ref breaks.OwnBreakUntil, breaks.OpenUntil); // a break started by hand is all the breaker's own
                return;
            }

            _metricsOnly = false;
            transition = Note(Open(now, before, BreakTrigger.None), CircuitTransitionReason.ByHand);
        }

        RaiseTransition(transition);
    }

    /// <summary>
    /// Ends the current break now: the next call is a probe, and <see cref="State"/> reads <see cref="CircuitState.HalfOpen"/>
    /// until it comes (the half-open period starts with that call, as at the end of any break). A circuit that is not open is left alone.
    /// </summary>
    /// <returns>Whether a break was ended.</returns>
    /// <exception cref="InvalidOperationException">A <see cref="CircuitBreakerScope"/> is current and this is a shared breaker (change the scope's one).</exception>
    public bool EndBreak()
    {
        CircuitBreakerScope.ThrowIfShadowed(this, nameof(EndBreak));
        long now = Now();
        lock (_transitionLock)
        {
            if (StateOf(_stateWord) != CircuitState.Open)
            {
                return false;
            }

            BreakState breaks = _break!;
            Volatile.Write(ref breaks.OpenUntil, Math.Min(breaks.OpenUntil, now));
            return true;
        }
    }

    /// <summary>
    /// Turns metrics-only mode on (<see langword="true"/>) or off: calls are measured, events raised and would-be transitions
    /// followed, but nothing is rejected. Entering or leaving it starts again from a closed circuit and an empty window.
    /// </summary>
    /// <exception cref="InvalidOperationException">A <see cref="CircuitBreakerScope"/> is current and this is a shared breaker (change the scope's one).</exception>
    public void SetMetricsOnly(bool enabled)
    {
        CircuitBreakerScope.ThrowIfShadowed(this, nameof(SetMetricsOnly));
        if (_metricsOnly != enabled)
        {
            ChangeByHand(CircuitState.Closed, enabled);
        }
    }

    /// <summary>Applies new options without losing the circuit's state; the window restarts only if its kind or size changes.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is invalid; the breaker keeps its current options.</exception>
    public void Reconfigure(CircuitBreakerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = BreakerSettings.For(options, _timeProvider.TimestampFrequency, Name);
        Transition transition = default;
        lock (_transitionLock)
        {
            BreakerSettings previous = _settings;
            bool newWindow = !settings.UsesSameWindowAs(previous);
            _settings = settings;
            _inFlight = InFlightFor(settings, _inFlight, Now(), previous.SlowCallTicks);

            // The thresholds may have moved below the window's ratios: the next outcome, even a plain success, looks at the
            // counts (docs/semantics.md: they are evaluated after every outcome).
            _armed = true;
            if (OptionChanges.Describe(previous.Options, settings.Options) is { Length: > 0 } changes)
            {
                NoteConfiguration(CircuitBreakerEventKind.ConfigurationApplied, changes);
            }

            if (newWindow)
            {
                ReplaceWindow();
            }

            if (StateOf(_stateWord) == CircuitState.HalfOpen)
            {
                // The half-open period keeps its verdict so far but takes the new threshold: as many slots more (or
                // fewer) as the threshold grew (or shrank), and it closes now if the successes already meet it.
                int growth = settings.Options.SuccessThreshold - previous.Options.SuccessThreshold;
                BreakState breaks = _break!;
                breaks.ProbeSlots = Math.Max(0, breaks.ProbeSlots + growth);
                if (breaks.ProbeSuccesses >= settings.Options.SuccessThreshold)
                {
                    transition = Note(CloseAfterRecovery(), CircuitTransitionReason.Reconfigured);
                }
            }
        }

        RaiseTransition(transition);
    }

    private void ChangeByHand(CircuitState target, bool metricsOnly)
    {
        Transition transition;
        lock (_transitionLock)
        {
            CircuitState before = _metricsOnly ? CircuitState.MetricsOnly : StateOf(_stateWord);
            if (target == CircuitState.Closed)
            {
                ForgetHistory();
            }

            _metricsOnly = metricsOnly;
            transition = Publish(target, null);
            CircuitState after = metricsOnly ? CircuitState.MetricsOnly : target;
            transition = before == after ? default : Note(transition with { From = before, To = after, IsMetricsOnly = false }, CircuitTransitionReason.ByHand);
        }

        RaiseTransition(transition);
    }
}
