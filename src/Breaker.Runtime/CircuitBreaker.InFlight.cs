using Breaker.Windows;

namespace Breaker;

// Slow calls noticed while they run (CircuitBreakerOptions.CountSlowCallsInFlight): opt-in, so a breaker without it pays
// one null field read when a call starts and one when it ends.
public sealed partial class CircuitBreaker
{
    private volatile InFlightCalls? _inFlight;

    /// <summary>The tracker <paramref name="settings"/> ask for: <paramref name="current"/> when it still fits, a new one from <paramref name="now"/>, or none.</summary>
    private static InFlightCalls? InFlightFor(BreakerSettings settings, InFlightCalls? current, long now, long currentSlowCallTicks) =>
        !settings.Options.CountSlowCallsInFlight ? null
        : current is not null && currentSlowCallTicks == settings.SlowCallTicks ? current
        : new InFlightCalls(settings.SlowCallTicks, now);

    /// <summary>
    /// Counts a call admitted while closed; the first call of each slot judges the calls that started between two and one
    /// slow-call durations ago, and opens the circuit if at least <see cref="CircuitBreakerOptions.MinimumThroughput"/>
    /// started and the share still running reaches <see cref="CircuitBreakerOptions.SlowCallRatio"/>.
    /// </summary>
    private void StartInFlight(InFlightCalls inFlight, int word, long start)
    {
        if (!inFlight.Start(start))
        {
            return;
        }

        inFlight.Judge(start, out long started, out long stuck);
        CircuitBreakerOptions options = _settings.Options;
        if (started >= options.MinimumThroughput && (double)stuck / started >= options.SlowCallRatio)
        {
            Trip(word, start, CircuitTransitionReason.SlowCallsInFlight, new BreakTrigger(FailureKind.SlowCall, null));
        }
    }

    /// <summary>A call admitted while closed ended: it runs no more.</summary>
    private void EndInFlight(in CircuitPermit permit)
    {
        if (permit.Kind == PermitKind.Closed && _inFlight is { } inFlight)
        {
            inFlight.End(permit.StartTimestamp);
        }
    }
}
