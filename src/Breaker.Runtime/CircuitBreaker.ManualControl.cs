using System;

namespace Breaker;

// Manual control: isolating, resetting, dry runs and reconfiguration, decided by the application rather than by calls.
public sealed partial class CircuitBreaker
{
    /// <summary>Holds the circuit open until <see cref="Reset"/>; every call is rejected meanwhile.</summary>
    public void Isolate() => ChangeByHand(CircuitState.Isolated, dryRun: false);

    /// <summary>Closes the circuit and forgets the window, the consecutive failures and the back-off. Ends a dry run.</summary>
    public void Reset() => ChangeByHand(CircuitState.Closed, dryRun: false);

    /// <summary>
    /// Starts (<see langword="true"/>) or ends a dry run: calls are measured, events raised and would-be transitions
    /// followed, but nothing is rejected. Entering or leaving it starts again from a closed circuit and an empty window.
    /// </summary>
    public void SetMetricsOnly(bool enabled)
    {
        if (_dryRun != enabled)
        {
            ChangeByHand(CircuitState.Closed, enabled);
        }
    }

    /// <summary>Applies new options without losing the circuit's state; the window restarts only if its kind or size changes.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is invalid; the breaker keeps its current options.</exception>
    public void Reconfigure(CircuitBreakerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = new BreakerSettings(options, _timeProvider.TimestampFrequency);
        Transition transition = default;
        lock (_transitionLock)
        {
            BreakerSettings previous = _settings;
            bool newWindow = !settings.UsesSameWindowAs(previous);
            _settings = settings;
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
                    transition = CloseAfterRecovery();
                }
            }
        }

        RaiseTransition(transition);
    }

    private void ChangeByHand(CircuitState target, bool dryRun)
    {
        Transition transition;
        lock (_transitionLock)
        {
            CircuitState before = _dryRun ? CircuitState.MetricsOnly : StateOf(_stateWord);
            if (target == CircuitState.Closed)
            {
                ForgetHistory();
            }

            _dryRun = dryRun;
            transition = Publish(target, null);
            CircuitState after = dryRun ? CircuitState.MetricsOnly : target;
            transition = before == after ? default : transition with { From = before, To = after, IsDryRun = false };
        }

        RaiseTransition(transition);
    }
}
