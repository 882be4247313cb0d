using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using Breaker.Parts;
using Breaker.Telemetry;

namespace Breaker;

// Events: raised outside the transition lock; a listener that throws never affects the call or the other listeners. The
// breaker's recent history (GetRecentEvents) is recorded under the lock, where each change is made, so it holds each change
// once and in order; rejections are not recorded one by one: a state change records how many the period it ends rejected.
// The history is made with the first event: a breaker that never changed state (most of them) holds none.
public sealed partial class CircuitBreaker
{
    // Made under the transition lock, with the first entry; read without it.
    private volatile EventRing? _events;

    // Made when the first handler subscribes.
    private EventHandlers? _handlers;

    /// <summary>Raised after the circuit changes state (outside any lock).</summary>
    public event EventHandler<CircuitStateChangedEventArgs>? StateChanged
    {
        add => EventHandlers.Change(ref Handlers().StateChanged, value, remove: false);
        remove => EventHandlers.Change(ref Handlers().StateChanged, value, remove: true);
    }

    /// <summary>Raised after a call is recorded as a success.</summary>
    public event EventHandler<CallSucceededEventArgs>? CallSucceeded
    {
        add => EventHandlers.Change(ref Handlers().CallSucceeded, value, remove: false);
        remove => EventHandlers.Change(ref Handlers().CallSucceeded, value, remove: true);
    }

    /// <summary>Raised after a call is recorded as a failure.</summary>
    public event EventHandler<CallFailedEventArgs>? CallFailed
    {
        add => EventHandlers.Change(ref Handlers().CallFailed, value, remove: false);
        remove => EventHandlers.Change(ref Handlers().CallFailed, value, remove: true);
    }

    /// <summary>Raised after the circuit rejects a call.</summary>
    public event EventHandler<CallRejectedEventArgs>? CallRejected
    {
        add => EventHandlers.Change(ref Handlers().CallRejected, value, remove: false);
        remove => EventHandlers.Change(ref Handlers().CallRejected, value, remove: true);
    }

    /// <summary>
    /// The breaker's recent history, newest first: its last state changes (with the reason), the rejections of each period
    /// counted together, configuration applied or refused. At most the last 32 recorded, plus, first, the rejections of the
    /// current period while it goes on (<see cref="CircuitBreakerEvent.IsOngoing"/>). A pure read: it changes nothing.
    /// </summary>
    public IReadOnlyList<CircuitBreakerEvent> GetRecentEvents()
    {
        EventRing? history = _events;
        List<(long Sequence, EventEntry Entry)> recorded = history is null ? [] : history.ReadNewestFirst();
        var events = new List<CircuitBreakerEvent>(recorded.Count + 1);
        long burst = RejectedCalls() - (history?.RejectionsAtPeriodStart ?? 0);
        if (burst > 0)
        {
            long since = history?.PeriodStartUtcTicks ?? 0;
            events.Add(new CircuitBreakerEvent
            {
                BreakerName = Name,
                Sequence = (history?.Written ?? 0) + 1,
                Time = _timeProvider.GetUtcNow(),
                Kind = CircuitBreakerEventKind.CallsRejected,
                From = _metricsOnly ? CircuitState.MetricsOnly : StateOf(Volatile.Read(ref _stateWord)),
                Count = burst,
                Since = since == 0 ? null : new DateTimeOffset(since, TimeSpan.Zero),
                IsMetricsOnly = _metricsOnly,
                IsOngoing = true,
            });
        }

        foreach ((long sequence, EventEntry entry) in recorded)
        {
            bool stateChange = entry.Kind == CircuitBreakerEventKind.StateChanged;
            bool rejections = entry.Kind == CircuitBreakerEventKind.CallsRejected;
            events.Add(new CircuitBreakerEvent
            {
                BreakerName = Name,
                Sequence = sequence,
                Time = new DateTimeOffset(entry.UtcTicks, TimeSpan.Zero),
                Kind = entry.Kind,
                From = stateChange || rejections ? entry.From : null,
                To = stateChange ? entry.To : null,
                Reason = entry.Reason,
                BreakDuration = entry.BreakDuration,
                Count = entry.Count,
                Since = rejections && entry.SinceUtcTicks != 0 ? new DateTimeOffset(entry.SinceUtcTicks, TimeSpan.Zero) : null,
                IsMetricsOnly = entry.IsMetricsOnly,
                Detail = entry.Detail,
            });
        }

        return events;
    }

    /// <summary>Records that configuration meant for this breaker was refused (it keeps its options), saying why.</summary>
    internal void RecordConfigurationRejected(string reason)
    {
        lock (_transitionLock)
        {
            NoteConfiguration(CircuitBreakerEventKind.ConfigurationRejected, reason);
        }
    }

    /// <summary>Under the lock: records a configuration event.</summary>
    private void NoteConfiguration(CircuitBreakerEventKind kind, string detail)
    {
        Debug.Assert(Monitor.IsEntered(_transitionLock), "Runs under the transition lock.");
        History().Add(new EventEntry(kind, _timeProvider.GetUtcNow().UtcTicks, default, default, CircuitTransitionReason.Unknown, null, 0, 0, _metricsOnly, detail));
    }

    /// <summary>
    /// Under the lock, where the change was made: records a state change with its reason, preceded by the rejections of the
    /// period it ends (if any), and starts the next period. Returns the transition with its reason, for the event args.
    /// </summary>
    private Transition Note(in Transition transition, CircuitTransitionReason reason)
    {
        Debug.Assert(Monitor.IsEntered(_transitionLock), "Runs under the transition lock.");
        if (!transition.Happened)
        {
            return transition;
        }

        long now = _timeProvider.GetUtcNow().UtcTicks;
        long rejections = RejectedCalls();
        EventRing history = History();
        long burst = rejections - history.RejectionsAtPeriodStart;
        if (burst > 0)
        {
            bool wouldHave = transition.IsMetricsOnly || transition.From == CircuitState.MetricsOnly;
            history.Add(new EventEntry(CircuitBreakerEventKind.CallsRejected, now, transition.From, default, CircuitTransitionReason.Unknown, null, burst, history.PeriodStartUtcTicks, wouldHave, null));
        }

        history.Add(new EventEntry(CircuitBreakerEventKind.StateChanged, now, transition.From, transition.To, reason, transition.BreakDuration, 0, 0, transition.IsMetricsOnly, null));
        history.StartPeriod(now, rejections);
        return transition with { Reason = reason };
    }

    /// <summary>Under the lock: the breaker's history, made on its first entry.</summary>
    private EventRing History()
    {
        Debug.Assert(Monitor.IsEntered(_transitionLock), "Runs under the transition lock.");
        return _events ??= new EventRing();
    }

    /// <summary>
    /// Raised when <see cref="CircuitBreakerOptions.BreakDurationHook"/> throws or returns a break that is not positive, after
    /// the circuit opened for the default break instead. Breaker.Extensions logs it as an error.
    /// </summary>
    public event EventHandler<BreakDurationHookFailedEventArgs>? BreakDurationHookFailed
    {
        add => EventHandlers.Change(ref Handlers().BreakDurationHookFailed, value, remove: false);
        remove => EventHandlers.Change(ref Handlers().BreakDurationHookFailed, value, remove: true);
    }

    private void RaiseTransition(in Transition transition)
    {
        if (!transition.Happened)
        {
            return;
        }

        if (transition.HookError is { } hookError && _handlers?.BreakDurationHookFailed is { } hookHandlers)
        {
            Raise(hookHandlers, new BreakDurationHookFailedEventArgs(this, hookError, transition.BreakDuration.GetValueOrDefault()));
        }

        BreakerTelemetry.RecordTransition(this, transition.From, transition.To);
        if (_handlers?.StateChanged is { } handler)
        {
            Raise(handler, new CircuitStateChangedEventArgs(this, transition.From, transition.To, transition.BreakDuration, transition.IsMetricsOnly, transition.Reason));
        }
    }

    /// <summary>The handlers of this breaker's events, made on the first subscription.</summary>
    private EventHandlers Handlers() =>
        Volatile.Read(ref _handlers) ?? Interlocked.CompareExchange(ref _handlers, new EventHandlers(), null) ?? _handlers!;

    private void Raise<TEventArgs>(EventHandler<TEventArgs> handlers, TEventArgs args) => EventHandlers.Raise(handlers, this, args);

    private readonly record struct Transition(
        bool Happened,
        CircuitState From,
        CircuitState To,
        TimeSpan? BreakDuration,
        bool IsMetricsOnly,
        CircuitTransitionReason Reason = CircuitTransitionReason.Unknown)
    {
        /// <summary>What the break-duration hook threw (or why its answer was refused) when this transition opened the circuit.</summary>
        public Exception? HookError { get; init; }
    }
}
