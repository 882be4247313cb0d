using System;
using System.Threading;

namespace Breaker;

// Coordination: verdicts reached elsewhere (for example by a fleet of instances) applied to this breaker.
public sealed partial class CircuitBreaker
{
    /// <summary>
    /// Opens the circuit until <paramref name="breakEnds"/> (on this breaker's clock), as decided elsewhere: for example
    /// by the fleet. A circuit that is already open keeps the later of the two ends; isolated and metrics-only circuits are left alone.
    /// </summary>
    public void OpenUntil(DateTimeOffset breakEnds)
    {
        long now = Now();
        TimeSpan remaining = breakEnds - _timeProvider.GetUtcNow();
        Transition transition = default;
        lock (_transitionLock)
        {
            CircuitState state = StateOf(_stateWord);
            if (_metricsOnly || state == CircuitState.Isolated || remaining <= TimeSpan.Zero)
            {
                return;
            }

            long until = now + _settings.ToTimestampTicks(remaining);
            if (state == CircuitState.Open)
            {
                Volatile.Write(ref _openUntil, Math.Max(until, _openUntil));
                return;
            }

            Volatile.Write(ref _openUntil, until);
            _opens++;
            transition = Note(Publish(CircuitState.Open, remaining), CircuitTransitionReason.Fleet);
        }

        RaiseTransition(transition);
    }

    /// <summary>
    /// Closes the circuit, as decided elsewhere (for example by the fleet's probes), if it is open or half-open: an empty
    /// window, no consecutive failures, no back-off, counted in <see cref="CircuitBreakerMetrics.CircuitCloses"/>.
    /// Closed, isolated and metrics-only circuits are left alone.
    /// </summary>
    /// <returns>Whether this call closed the circuit.</returns>
    public bool CloseIfOpen()
    {
        Transition transition;
        lock (_transitionLock)
        {
            if (_metricsOnly || StateOf(_stateWord) is not (CircuitState.Open or CircuitState.HalfOpen))
            {
                return false;
            }

            transition = Note(CloseAfterRecovery(), CircuitTransitionReason.Fleet);
        }

        RaiseTransition(transition);
        return true;
    }
}
