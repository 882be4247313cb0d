using System;
using System.Threading;

namespace Breaker.Parts;

/// <summary>
/// The handlers of a breaker's events, made when the first one subscribes: a breaker nobody listens to (most of them)
/// holds one null reference instead of six. Reading a handler is one more null check than a field-like event, on paths
/// that read it anyway. Its static members add, remove and raise handlers for the registry's events too.
/// </summary>
internal sealed class EventHandlers
{
    public EventHandler<CircuitStateChangedEventArgs>? StateChanged;
    public EventHandler<CallSucceededEventArgs>? CallSucceeded;
    public EventHandler<CallFailedEventArgs>? CallFailed;
    public EventHandler<CallRejectedEventArgs>? CallRejected;
    public EventHandler<ShouldHandleFailedEventArgs>? ShouldHandleFailed;
    public EventHandler<BreakDurationHookFailedEventArgs>? BreakDurationHookFailed;

    /// <summary>Adds (or with <paramref name="remove"/>, removes) <paramref name="handler"/> to <paramref name="field"/> without a lock, as a field-like event does.</summary>
    public static void Change<T>(ref T? field, T? handler, bool remove)
        where T : Delegate
    {
        T? seen = Volatile.Read(ref field);
        while (true)
        {
            var next = (T?)(remove ? Delegate.Remove(seen, handler) : Delegate.Combine(seen, handler));
            T? raced = Interlocked.CompareExchange(ref field, next, seen);
            if (ReferenceEquals(raced, seen))
            {
                return;
            }

            seen = raced;
        }
    }

    /// <summary>
    /// Calls each of <paramref name="handlers"/> in turn with <paramref name="sender"/> and <paramref name="args"/>; the
    /// breakers' and the registry's events are all raised through here.
    /// </summary>
    public static void Raise<TEventArgs>(EventHandler<TEventArgs> handlers, object sender, TEventArgs args)
    {
        foreach (EventHandler<TEventArgs> handler in Delegate.EnumerateInvocationList(handlers))
        {
            try
            {
                handler(sender, args);
            }
            catch (Exception)
            {
                // A listener's failure is the listener's: it must never fail the call that raised the event (a guarded
                // call, or the one that happened to create a breaker) nor keep the other listeners from hearing of it.
            }
        }
    }
}
