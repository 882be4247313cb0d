using System;
using System.Threading;

namespace Breaker;

// Coordination: verdicts reached elsewhere (for example by a fleet of instances) applied to this breaker. Durations, never
// instants, cross process boundaries: a break decided elsewhere runs from now on this breaker's own clock.
public sealed partial class CircuitBreaker
{
    // The state word of the open period that a decision made elsewhere started (0: none). Only that period, unchanged
    // since (no probe started, no reopening, no close), may be ended by a decision made elsewhere.
    private int _openedElsewhereWord;

    /// <summary>
    /// The keyed group this breaker belongs to (for example the per-host breakers of an HTTP client share the client's
    /// breaker name), or <see langword="null"/> for a breaker on its own. Such breakers are made from input and may be many,
    /// so fleet coordination leaves them out unless they are listed.
    /// </summary>
    public string? Group { get; init; }

    /// <summary>
    /// The part of a break decided elsewhere (another instance, a shared store) that this breaker accepts: at most its
    /// <see cref="CircuitBreakerOptions.MaxBreakDuration"/> when its breaks back off, else at most its
    /// <see cref="CircuitBreakerOptions.BreakDuration"/>; never negative.
    /// </summary>
    /// <param name="requested">The break asked for.</param>
    public TimeSpan ClampSharedBreak(TimeSpan requested)
    {
        CircuitBreakerOptions options = _settings.Options;
        TimeSpan longest = options.BreakDurationMultiplier > 1.0 ? options.MaxBreakDuration : options.BreakDuration;
        return requested <= TimeSpan.Zero ? TimeSpan.Zero : requested > longest ? longest : requested;
    }

    /// <summary>
    /// Opens a closed circuit as its own failures would, because evidence gathered elsewhere (for example by the fleet) says
    /// so: the break is the one this breaker chooses for itself. Anything but a closed circuit is left alone.
    /// </summary>
    /// <param name="breakDuration">The break this breaker chose, for those who decided to share; zero when it did not open.</param>
    /// <returns>Whether this call opened the circuit.</returns>
    public bool TryOpen(out TimeSpan breakDuration)
    {
        long now = Now();
        Transition transition;
        lock (_transitionLock)
        {
            if (_metricsOnly || StateOf(_stateWord) != CircuitState.Closed)
            {
                breakDuration = TimeSpan.Zero;
                return false;
            }

            transition = Open(now, CircuitState.Closed);
            _openedElsewhereWord = _stateWord;
        }

        breakDuration = transition.BreakDuration.GetValueOrDefault();
        RaiseTransition(transition);
        return true;
    }

    /// <summary>
    /// Opens the circuit for <paramref name="breakDuration"/> from now, as decided elsewhere (for example by the fleet),
    /// clamped by <see cref="ClampSharedBreak"/>. A closed or half-open circuit opens; an open one keeps the later of the two
    /// ends; isolated and metrics-only circuits, and a break clamped to zero, are left alone.
    /// </summary>
    /// <param name="breakDuration">The break decided elsewhere, as a duration.</param>
    /// <returns>Whether this call opened the circuit (an open circuit whose end moved later stays open on its own account).</returns>
    public bool OpenFor(TimeSpan breakDuration)
    {
        long now = Now();
        Transition transition;
        lock (_transitionLock)
        {
            TimeSpan applied = ClampSharedBreak(breakDuration);
            CircuitState state = StateOf(_stateWord);
            if (_metricsOnly || state == CircuitState.Isolated || applied == TimeSpan.Zero)
            {
                return false;
            }

            long until = now + _settings.ToTimestampTicks(applied);
            if (state == CircuitState.Open)
            {
                Volatile.Write(ref _openUntil, Math.Max(until, _openUntil));
                return false;
            }

            Volatile.Write(ref _openUntil, until);
            _opens++;
            transition = Publish(CircuitState.Open, applied);
            _openedElsewhereWord = _stateWord;
        }

        RaiseTransition(transition);
        return true;
    }

    /// <summary>
    /// Closes the circuit, as decided elsewhere (for example by the fleet's probes), if it is open only because
    /// <see cref="OpenFor"/> or <see cref="TryOpen"/> opened it and nothing happened since: it started no probe of its own
    /// and was not reopened. An empty window, no back-off, counted in <see cref="CircuitBreakerMetrics.CircuitCloses"/>.
    /// A circuit opened by its own failures is never closed from elsewhere.
    /// </summary>
    /// <returns>Whether this call closed the circuit.</returns>
    public bool CloseIfOpenedElsewhere()
    {
        Transition transition;
        lock (_transitionLock)
        {
            if (_metricsOnly || _stateWord != _openedElsewhereWord || StateOf(_stateWord) != CircuitState.Open)
            {
                return false;
            }

            transition = CloseAfterRecovery();
        }

        RaiseTransition(transition);
        return true;
    }
}
