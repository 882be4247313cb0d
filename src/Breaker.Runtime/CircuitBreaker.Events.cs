using System;
using Breaker.Telemetry;

namespace Breaker;

// Events: raised outside the transition lock; a listener that throws never affects the call or the other listeners.
public sealed partial class CircuitBreaker
{
    /// <summary>Raised after the circuit changes state (outside any lock).</summary>
    public event EventHandler<CircuitStateChangedEventArgs>? StateChanged;

    /// <summary>Raised after a call is recorded as a success.</summary>
    public event EventHandler<CallSucceededEventArgs>? CallSucceeded;

    /// <summary>Raised after a call is recorded as a failure.</summary>
    public event EventHandler<CallFailedEventArgs>? CallFailed;

    /// <summary>Raised after the circuit rejects a call.</summary>
    public event EventHandler<CallRejectedEventArgs>? CallRejected;

    /// <summary>
    /// Raised when <see cref="CircuitBreakerOptions.BreakDurationHook"/> throws or returns a break that is not positive, after
    /// the circuit opened for the default break instead. Breaker.Extensions logs it as an error.
    /// </summary>
    public event EventHandler<BreakDurationHookFailedEventArgs>? BreakDurationHookFailed;

    private void RaiseTransition(in Transition transition)
    {
        if (!transition.Happened)
        {
            return;
        }

        if (transition.HookError is { } hookError && BreakDurationHookFailed is { } hookHandlers)
        {
            Raise(hookHandlers, new BreakDurationHookFailedEventArgs(this, hookError, transition.BreakDuration.GetValueOrDefault()));
        }

        BreakerTelemetry.RecordTransition(this, transition.From, transition.To);
        if (StateChanged is { } handler)
        {
            Raise(handler, new CircuitStateChangedEventArgs(this, transition.From, transition.To, transition.BreakDuration, transition.IsMetricsOnly));
        }
    }

    private void Raise<TEventArgs>(EventHandler<TEventArgs> handlers, TEventArgs args)
    {
        foreach (EventHandler<TEventArgs> handler in Delegate.EnumerateInvocationList(handlers))
        {
            try
            {
                handler(this, args);
            }
            catch (Exception)
            {
                // A listener's failure is the listener's: it must never fail the guarded call or stop the others.
            }
        }
    }

    private readonly record struct Transition(bool Happened, CircuitState From, CircuitState To, TimeSpan? BreakDuration, bool IsMetricsOnly)
    {
        /// <summary>What the break-duration hook threw (or why its answer was refused) when this transition opened the circuit.</summary>
        public Exception? HookError { get; init; }
    }
}
