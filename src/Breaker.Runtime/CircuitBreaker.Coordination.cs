using System;
using System.Threading;
using Breaker.Parts;

namespace Breaker;

// Coordination: verdicts reached elsewhere (for example by a fleet of instances) applied to this breaker. Durations, never
// instants, cross process boundaries: a break decided elsewhere runs from now on this breaker's own clock.
public sealed partial class CircuitBreaker
{
    /// <summary>
    /// The keyed group this breaker belongs to (for example the per-host breakers of an HTTP client share the client's
    /// breaker name), or <see langword="null"/> for a breaker on its own. Such breakers are made from input and may be many,
    /// so fleet coordination leaves them out unless they are listed.
    /// </summary>
    public string? Group { get; init; }

    /// <summary>
    /// The part of a break decided elsewhere (another instance, a shared store) that this breaker accepts: at most its
    /// <see cref="CircuitBreakerOptions.LongestBreak"/>, the longest break it takes from any source (so a break another
    /// instance chose by back-off, a Retry-After, its hook or jitter is kept as long as this breaker's own options allow);
    /// never negative.
    /// </summary>
    /// <param name="requested">The break asked for.</param>
    public TimeSpan ClampSharedBreak(TimeSpan requested)
    {
        TimeSpan longest = _settings.LongestBreak;
        return requested <= TimeSpan.Zero ? TimeSpan.Zero : requested > longest ? longest : requested;
    }

    /// <summary>
    /// Opens a closed circuit as its own failures would, because evidence gathered elsewhere (for example by the fleet) says
    /// so: the break is the one this breaker chooses for itself (back-off, a Retry-After its own failures reported whose wait
    /// still runs, its hook, which sees no failure, and jitter, drawn here once for all who share it). Anything but a
    /// closed circuit is left alone.
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

            transition = Note(Open(now, CircuitState.Closed, BreakTrigger.None), CircuitTransitionReason.Fleet);
            if (transition.Happened)
            {
                // Only that period, unchanged since (no probe started, no reopening, no close), may be ended from elsewhere.
                Breaks().OpenedElsewhereWord = _stateWord;
            }
        }

        breakDuration = transition.BreakDuration.GetValueOrDefault();
        RaiseTransition(transition);
        return transition.Happened;
    }

    /// <summary>
    /// Opens the circuit for <paramref name="breakDuration"/> from now, as decided elsewhere (for example by the fleet),
    /// clamped by <see cref="ClampSharedBreak"/>. A closed or half-open circuit opens; an open one keeps the later of the two
    /// ends, unless it is open only because a decision made elsewhere opened it (<see cref="TryOpen"/> or this, nothing
    /// since): then the new decision replaces that break, so instances that opened a fleet at the same moment all take the
    /// one break it shares. Isolated and metrics-only circuits, and a break clamped to zero, are left alone.
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
            BreakState breaks = Breaks();
            if (state == CircuitState.Open)
            {
                Volatile.Write(ref breaks.OpenUntil, _stateWord == breaks.OpenedElsewhereWord ? until : Math.Max(until, breaks.OpenUntil));
                Volatile.Write(ref breaks.OwnBreakUntil, breaks.OpenUntil); // the fleet's break, checked against this breaker's options
                return false;
            }

            Volatile.Write(ref breaks.OpenUntil, until);
            Volatile.Write(ref breaks.OwnBreakUntil, until);
            breaks.Opens++;
            transition = Note(Publish(CircuitState.Open, applied), CircuitTransitionReason.Fleet);
            breaks.OpenedElsewhereWord = _stateWord;
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
            if (_metricsOnly || _break is not { } breaks || _stateWord != breaks.OpenedElsewhereWord || StateOf(_stateWord) != CircuitState.Open)
            {
                return false;
            }

            transition = Note(CloseAfterRecovery(), CircuitTransitionReason.Fleet);
        }

        RaiseTransition(transition);
        return true;
    }
}
