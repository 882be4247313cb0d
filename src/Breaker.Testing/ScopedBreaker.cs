using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Breaker.Testing;

/// <summary>
/// A <see cref="BreakerTestScope"/>'s breaker of one name: the one every call in the scope's flow goes through. Force its
/// state in one line, and assert on what it did (its transitions, rejections and failures, recorded from its creation).
/// </summary>
public sealed class ScopedBreaker
{
    // The forcing methods raise StateChanged synchronously on the forcing thread: what the test forces is not what the code did.
    [ThreadStatic]
    private static ScopedBreaker? s_forcing;

    private readonly BreakerTestScope _scope;
    private readonly List<RecordedEvent> _events = [];
    private int _successes;

    internal ScopedBreaker(BreakerTestScope scope, CircuitBreaker breaker)
    {
        _scope = scope;
        Breaker = breaker;
        breaker.StateChanged += (_, e) =>
        {
            if (s_forcing != this)
            {
                Record(new RecordedTransition(_scope.Time.GetUtcNow(), e.From, e.To, e.BreakDuration));
            }
        };
        breaker.CallRejected += (_, e) => Record(new RecordedRejection(_scope.Time.GetUtcNow(), e.State, e.RetryAfter, e.IsMetricsOnly));
        breaker.CallFailed += (_, e) => Record(new RecordedFailure(_scope.Time.GetUtcNow(), e.Kind, e.Exception));
        breaker.CallSucceeded += (_, _) =>
        {
            lock (_events)
            {
                _successes++;
            }
        };
    }

    /// <summary>The breaker's name.</summary>
    public string Name => Breaker.Name;

    /// <summary>The scope's breaker itself (its options, metrics and events), for anything this class does not say.</summary>
    public CircuitBreaker Breaker { get; }

    /// <summary>Its state now (a read: changes nothing).</summary>
    public CircuitState State => Observed.State;

    /// <summary>Its counters now: calls, failures, rejections, fallbacks, opens.</summary>
    public CircuitBreakerMetrics Metrics => Observed.GetMetrics();

    /// <summary>Calls answered by a fallback so far, whether the call failed or was rejected.</summary>
    public long Fallbacks => Metrics.FallbackCalls;

    /// <summary>Calls recorded as successes so far.</summary>
    public int Successes
    {
        get
        {
            _scope.ThrowIfNotInForce(forChange: false);
            lock (_events)
            {
                return _successes;
            }
        }
    }

    /// <summary>Everything it did, in order: transitions it made on its own, rejections and failures (not what the test forced).</summary>
    public IReadOnlyList<RecordedEvent> Events
    {
        get
        {
            _scope.ThrowIfNotInForce(forChange: false);
            lock (_events)
            {
                return _events.ToArray();
            }
        }
    }

    /// <summary>The transitions it made on its own, in order (not the ones the test forced).</summary>
    public IReadOnlyList<RecordedTransition> Transitions => Events.OfType<RecordedTransition>().ToArray();

    /// <summary>The calls it rejected, in order.</summary>
    public IReadOnlyList<RecordedRejection> Rejections => Events.OfType<RecordedRejection>().ToArray();

    /// <summary>The calls it recorded as failed, in order.</summary>
    public IReadOnlyList<RecordedFailure> Failures => Events.OfType<RecordedFailure>().ToArray();

    /// <summary>
    /// Opens the circuit for its break, as its failures would: calls are rejected (and answered by their fallback) until
    /// the test moves the scope's clock past <see cref="CircuitBreakerOptions.BreakDuration"/>; then the next call probes.
    /// </summary>
    public void Open() => Force(static b => b.StartBreak());

    /// <summary>Opens the circuit with its break already over: the next call is a probe (its admission records Open -> HalfOpen).</summary>
    public void HalfOpen() => Force(static b =>
    {
        b.StartBreak();
        b.EndBreak();
    });

    /// <summary>Closes the circuit and forgets its window and back-off (<see cref="CircuitBreaker.Reset"/>).</summary>
    public void Close() => Force(static b => b.Reset());

    /// <summary>Holds the circuit open until <see cref="Close"/>, whatever the clock says (<see cref="CircuitBreaker.Isolate"/>).</summary>
    public void Isolate() => Force(static b => b.Isolate());

    /// <summary>Throws <see cref="BreakerAssertionException"/>, with what happened, unless the circuit is in <paramref name="expected"/>.</summary>
    /// <param name="expected">The state the test expects.</param>
    public void AssertState(CircuitState expected)
    {
        CircuitState actual = State;
        if (actual != expected)
        {
            throw Failure($"Breaker '{Name}' is {actual}, but the test expected {expected}.");
        }
    }

    /// <summary>
    /// Throws <see cref="BreakerAssertionException"/>, with what happened, unless the states the circuit entered on its own
    /// are exactly <paramref name="entered"/>, in order (none: it never changed).
    /// </summary>
    /// <param name="entered">The states entered, in order: for example Open, HalfOpen, Closed.</param>
    public void AssertTransitions(params CircuitState[] entered)
    {
        ArgumentNullException.ThrowIfNull(entered);
        CircuitState[] actual = Transitions.Select(static t => t.To).ToArray();
        if (!actual.SequenceEqual(entered))
        {
            throw Failure($"Breaker '{Name}' entered [{string.Join(", ", actual)}], but the test expected [{string.Join(", ", entered)}].");
        }
    }

    /// <summary>
    /// Throws <see cref="BreakerAssertionException"/>, with what happened, unless each count given matches the breaker's
    /// metrics (a count left out is not checked).
    /// </summary>
    /// <param name="successes">Calls recorded as successes.</param>
    /// <param name="failures">Calls recorded as failures.</param>
    /// <param name="rejections">Calls rejected.</param>
    /// <param name="fallbacks">Calls answered by a fallback (failed or rejected).</param>
    public void AssertCalls(long? successes = null, long? failures = null, long? rejections = null, long? fallbacks = null)
    {
        CircuitBreakerMetrics m = Metrics;
        var wrong = new List<string>();
        Check("successes", successes, m.SuccessfulCalls);
        Check("failures", failures, m.FailedCalls);
        Check("rejections", rejections, m.RejectedCalls);
        Check("fallbacks", fallbacks, m.FallbackCalls);
        if (wrong.Count > 0)
        {
            throw Failure($"Breaker '{Name}' has {string.Join(", ", wrong)}.");
        }

        void Check(string what, long? expected, long actual)
        {
            if (expected is { } count && count != actual)
            {
                wrong.Add($"{actual} {what} where the test expected {count}");
            }
        }
    }

    /// <summary>The breaker, its state and counters, and what it did, one event a line with its time since the scope began.</summary>
    public override string ToString()
    {
        CircuitBreakerMetrics m = Breaker.GetMetrics();
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"'{Name}' is {m.State}: {m.SuccessfulCalls} succeeded, {m.FailedCalls} failed, {m.RejectedCalls} rejected, {m.FallbackCalls} answered by a fallback");
        RecordedEvent[] events;
        lock (_events)
        {
            events = _events.ToArray();
        }

        foreach (RecordedEvent e in events)
        {
            TimeSpan since = e.At - _scope.Start;
            text.AppendLine().Append(CultureInfo.InvariantCulture, $"  +{since:c}  {e}");
        }

        return text.ToString();
    }

    private BreakerAssertionException Failure(string message) => new(message + Environment.NewLine + "What happened: " + this);

    private void Record(RecordedEvent recorded)
    {
        lock (_events)
        {
            _events.Add(recorded);
        }
    }

    /// <summary>The breaker, for a read, once the scope is known to be the one in force here (or over).</summary>
    private CircuitBreaker Observed
    {
        get
        {
            _scope.ThrowIfNotInForce(forChange: false);
            return Breaker;
        }
    }

    private void Force(Action<CircuitBreaker> change)
    {
        _scope.ThrowIfNotInForce(forChange: true);
        s_forcing = this;
        try
        {
            change(Breaker);
        }
        finally
        {
            s_forcing = null;
        }
    }
}
