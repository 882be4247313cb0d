using System;

namespace Breaker;

// Manual control: isolating, resetting, metrics-only mode and reconfiguration, decided by the application rather than by calls.
public sealed partial class CircuitBreaker
{
    /// <summary>Holds the circuit open until <see cref="Reset"/>; every call is rejected meanwhile.</summary>
    public void Isolate() => ChangeByHand(CircuitState.Isolated, metricsOnly: false);

    /// <summary>Closes the circuit and forgets the window, the consecutive failures and the back-off. Ends metrics-only mode.</summary>
    public void Reset() => ChangeByHand(CircuitState.Closed, metricsOnly: false);

    /// <summary>
    /// Turns metrics-only mode on (<see langword="true"/>) or off: calls are measured, events raised and would-be transitions
    /// followed, but nothing is rejected. Entering or leaving it starts again from a closed circuit and an empty window.
    /// </summary>
    public void SetMetricsOnly(bool enabled)
    {
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
        var settings = new BreakerSettings(options, _timeProvider.TimestampFrequency, Name);
        Transition transition = default;
        lock (_transitionLock)
        {
            BreakerSettings previous = _settings;
            bool newWindow = !settings.UsesSameWindowAs(previous);
            _settings = settings;
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
                _probeSlots = Math.Max(0, _probeSlots + growth);
                if (_probeSuccesses >= settings.Options.SuccessThreshold)
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
