using System;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading;
using Breaker.Parts;
using Breaker.Telemetry;
using Breaker.Timing;
using Breaker.Windows;

namespace Breaker;

/// <summary>
/// A circuit breaker: it records the outcomes of the calls it guards and, when too many fail or are slow, rejects
/// calls for a while so the failing dependency can recover. Thread-safe; the closed state takes no lock.
/// </summary>
public sealed partial class CircuitBreaker
{
    // The state word packs the inner state (low bits) with a generation that grows on every transition, so a permit
    // can tell, with one comparison, whether the period it was admitted in is still the current one.
    private const int StateBits = 3;
    private const int StateMask = (1 << StateBits) - 1;

    private readonly object _transitionLock = new();
    private readonly TimeProvider _timeProvider;
    private readonly bool _systemClock;

    private volatile BreakerSettings _settings;
    private volatile SlidingWindow _window;
    private volatile bool _metricsOnly;
    private volatile CircuitCoordinator? _coordinator;
    private int _stateWord;

    // Made under the transition lock when the circuit first leaves the closed state, and published before the state word
    // that says so: whoever reads another state than closed finds it. Null for a breaker that never opened.
    private volatile BreakState? _break;

    /// <summary>Creates a breaker.</summary>
    /// <param name="name">The breaker's name, used in metrics, logs and exceptions.</param>
    /// <param name="options">Its settings (copied and validated); <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The clock; <see langword="null"/> for <see cref="TimeProvider.System"/>. Tests pass a fake one.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is invalid.</exception>
    public CircuitBreaker(string name, CircuitBreakerOptions? options = null, TimeProvider? timeProvider = null)
        : this(name, options, timeProvider, key: null)
    {
    }

    /// <summary>Creates a breaker, a breaker of a group (one of its keys', or its shared one) when <paramref name="key"/> is not null.</summary>
    internal CircuitBreaker(string name, CircuitBreakerOptions? options, TimeProvider? timeProvider, KeyPart? key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _systemClock = ReferenceEquals(_timeProvider, TimeProvider.System);
        _settings = BreakerSettings.For(options ?? new CircuitBreakerOptions(), _timeProvider.TimestampFrequency, name);
        _window = SlidingWindow.Create(_settings.Options, _settings.TimestampFrequency);
        _inFlight = InFlightFor(_settings, current: null, Now(), currentSlowCallTicks: 0);
        if (key is not null)
        {
            _key = key;
            Group = key.Group.Name;
        }
        else
        {
            // A key's breaker is observed through its group, which knows whether the key is still live and keeps the counts
            // of evicted keys: never tracked on its own.
            BreakerTelemetry.Track(this);
        }
    }

    /// <summary>The breaker's name.</summary>
    public string Name { get; }

    /// <summary>The clock the breaker reads.</summary>
    public TimeProvider TimeProvider => _timeProvider;

    /// <summary>The registry that made the breaker, or <see langword="null"/> for one made with <c>new</c>: a scope stands in for the breakers of <see cref="CircuitBreakerRegistry.Default"/> only.</summary>
    internal CircuitBreakerRegistry? Owner { get; init; }

    /// <summary>A copy of the options in force, new on every read: changing it changes nothing (use <see cref="Reconfigure"/>).</summary>
    public CircuitBreakerOptions Options => _settings.Options.Clone();

    /// <summary>
    /// The <see cref="CircuitBreakerOptions.Timeout"/> in force (<see cref="TimeSpan.Zero"/>: none), read without copying
    /// the options: generated code and the HTTP handler read it on every call, so configuration can change it.
    /// </summary>
    public TimeSpan Timeout => _settings.Options.Timeout;

    /// <summary>Who else decides when this circuit may probe (fleet coordination); <see langword="null"/> for a breaker on its own.</summary>
    public CircuitCoordinator? Coordinator
    {
        get => _coordinator;
        set => _coordinator = value;
    }

    /// <summary>
    /// The current state, read without changing anything. An open circuit whose break is over reports
    /// <see cref="CircuitState.HalfOpen"/> (the next call is a probe), but the half-open period itself (its
    /// <see cref="StateChanged"/> event, its probe slots) starts only when that call arrives;
    /// <see cref="CircuitBreakerMetrics.AwaitingProbe"/> tells the two apart.
    /// </summary>
    public CircuitState State => EffectiveState(Volatile.Read(ref _stateWord), Now(), out _);

    /// <summary>
    /// Asks to run one call. Never allocates; a rejection is counted before it returns. In the flow of a
    /// <see cref="CircuitBreakerScope"/>, a shared breaker's permit is asked of the scope's breaker of its name.
    /// </summary>
    /// <exception cref="InvalidOperationException"><see cref="CircuitBreakerScope.Required"/> is set and no scope is current.</exception>
    public CircuitPermit TryAcquire() => TryAcquire(rejectionUsesFallback: false);

    /// <summary>
    /// Asks to run one call whose rejection, if any, the caller answers with a fallback: the breaker then counts that
    /// rejection in <see cref="CircuitBreakerMetrics.FallbackCalls"/> too, in the same write (generated code uses this).
    /// </summary>
    /// <param name="rejectionUsesFallback">True when a rejected call will be answered by a fallback.</param>
    /// <exception cref="InvalidOperationException"><see cref="CircuitBreakerScope.Required"/> is set and no scope is current.</exception>
    public CircuitPermit TryAcquire(bool rejectionUsesFallback)
    {
        // In a test scope's flow a shared breaker's call is the scope's breaker's, as for Execute and generated code.
        if (CircuitBreakerScope.InUse && CircuitBreakerScope.Resolve(this) is { } resolved && resolved != this)
        {
            return resolved.TryAcquire(rejectionUsesFallback);
        }

        // A group's breaker only: a call in flight keeps it from eviction, counted before the permit is decided, and a
        // breaker evicted since the caller looked its key up sends the call to the key's breaker now. One field read for
        // any other breaker; one interlocked increment for a key's (KeyPart).
        KeyPart? key = _key;
        if (key is not null && !key.TryReserveCall())
        {
            return NextForKey(key).TryAcquire(rejectionUsesFallback);
        }

        int word = Volatile.Read(ref _stateWord);

        // Hot path: one volatile read and a (usually cached) timestamp. No lock, no interlocked write.
        CircuitPermit permit = StateOf(word) == CircuitState.Closed ? ClosedPermit(word) : AcquireSlow(word, rejectionUsesFallback);
        if (key is not null && !permit.IsGranted)
        {
            key.EndCall();
        }

        return permit;
    }

    /// <summary>
    /// The exception a rejection throws, or passes to a fallback's exception parameter. It names the state that rejects
    /// calls, read without changing anything: an open circuit whose break is over but that has not started probing (a
    /// fleet keeps it open while another instance probes) is <see cref="CircuitState.Open"/> with a zero
    /// <see cref="BrokenCircuitException.RetryAfter"/>.
    /// </summary>
    public BrokenCircuitException CreateRejectedException()
    {
        long now = Now();
        CircuitState state = _metricsOnly ? CircuitState.MetricsOnly : StateOf(Volatile.Read(ref _stateWord));
        return new BrokenCircuitException(Name, state, RetryAfter(state, now));
    }

    /// <summary>
    /// The exception a call that ran past <see cref="Timeout"/> ends with (generated code and <c>ExecuteAsync</c> use it), with
    /// <paramref name="innerException"/> (the cancellation or the wait that noticed it) inside.
    /// </summary>
    public TimeoutException CreateTimeoutException(Exception? innerException) => CreateTimeoutException(Timeout, innerException);

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({State})";

    private TimeoutException CreateTimeoutException(TimeSpan timeout, Exception? innerException) =>
        new(string.Create(CultureInfo.InvariantCulture, $"The call through circuit breaker '{Name}' did not finish within its {timeout.TotalMilliseconds:0} ms timeout."), innerException);

    private static CircuitState StateOf(int word) => (CircuitState)(word & StateMask);

    /// <summary>
    /// The state observers see: <see cref="CircuitState.MetricsOnly"/> in metrics-only mode, and <see cref="CircuitState.HalfOpen"/>
    /// for an open circuit whose break is over (<paramref name="awaitingProbe"/>) although no call has started probing yet.
    /// A pure read: only a call's admission moves the circuit (and asks a coordinator).
    /// </summary>
    private CircuitState EffectiveState(int word, long now, out bool awaitingProbe)
    {
        awaitingProbe = false;
        if (_metricsOnly)
        {
            return CircuitState.MetricsOnly;
        }

        CircuitState state = StateOf(word);
        if (state == CircuitState.Open && now >= Volatile.Read(ref _break!.OpenUntil))
        {
            awaitingProbe = true;
            return CircuitState.HalfOpen;
        }

        return state;
    }

    /// <summary>
    /// The breaker's clock. On the system clock, when no decision needs better than a millisecond, the cached timestamp
    /// (one memory read) rather than the high-resolution one (about 20 ns).
    /// </summary>
    private long Now() =>
        !_systemClock ? _timeProvider.GetTimestamp()
        : _settings.UsesCoarseClock ? CoarseClock.Timestamp
        : Stopwatch.GetTimestamp();

    /// <summary>When a permit's call ended, on the clock its start was read from.</summary>
    private long End(in CircuitPermit permit)
    {
        EndInFlight(in permit);
        return permit.Precise ? Stopwatch.GetTimestamp() : Now();
    }

    /// <summary>Whether someone will see this call's own duration (an event handler, a duration histogram), so a cached clock won't do.</summary>
    private bool NeedsPreciseDurations() =>
        _systemClock
        && _settings.UsesCoarseClock
        && ((_handlers is { } handlers && (handlers.CallSucceeded is not null || handlers.CallFailed is not null)) || BreakerTelemetry.CallDuration.Enabled);

    /// <summary>A call admitted while closed, timed on the clock its duration needs (the fast path and the slow one alike).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private CircuitPermit ClosedPermit(int word)
    {
        CircuitPermit permit = NeedsPreciseDurations()
            ? new CircuitPermit(this, word, PermitKind.Closed, Stopwatch.GetTimestamp(), precise: true)
            : new CircuitPermit(this, word, PermitKind.Closed, Now(), precise: false);

        // Opt-in (CountSlowCallsInFlight): without it the field is null and this is one read.
        if (_inFlight is { } inFlight)
        {
            StartInFlight(inFlight, word, permit.StartTimestamp);
        }

        return permit;
    }

    private bool MayStartProbing() => _coordinator is not { } coordinator || coordinator.MayStartProbing(this);

    private CircuitPermit AcquireSlow(int word, bool rejectionUsesFallback)
    {
        while (true)
        {
            long now = Now();
            switch (StateOf(word))
            {
                case CircuitState.Closed:
                    return ClosedPermit(word);

                case CircuitState.Open when now < Volatile.Read(ref _break!.OpenUntil):
                    return Reject(word, CircuitState.Open, now, rejectionUsesFallback);

                case CircuitState.Open when !MayStartProbing():
                    // Another instance holds the fleet's probe: keep rejecting until its verdict arrives.
                    return Reject(word, CircuitState.Open, now, rejectionUsesFallback);

                case CircuitState.Open:
                    EnterHalfOpen(word);
                    break;

                case CircuitState.HalfOpen:
                    if (TryTakeProbeSlot(word, now, out bool retry))
                    {
                        return new CircuitPermit(this, word, PermitKind.Probe, now);
                    }

                    if (!retry)
                    {
                        return Reject(word, CircuitState.HalfOpen, now, rejectionUsesFallback);
                    }

                    break;

                default:
                    return Reject(word, CircuitState.Isolated, now, rejectionUsesFallback);
            }

            word = Volatile.Read(ref _stateWord);
        }
    }

    private CircuitPermit Reject(int word, CircuitState state, long now, bool usesFallback)
    {
        // Metrics-only mode counts the rejection it would have made and lets the call through, deciding nothing.
        // Only a state other than closed rejects, and the break state was published before it.
        BreakState breaks = _break!;
        bool metricsOnly = _metricsOnly;
        if (metricsOnly)
        {
            // Counted apart: the call runs, and its outcome counts it in TotalCalls.
            Interlocked.Increment(ref breaks.MetricsOnlyRejections);
        }
        else if (usesFallback)
        {
            // One interlocked write for what is both a rejection and a fallback: this path must stay cheap.
            Interlocked.Increment(ref breaks.RejectionsAnsweredByFallback);
        }
        else
        {
            Interlocked.Increment(ref breaks.Rejections);
        }

        BreakerTelemetry.RecordRejection(this, state);
        if (_handlers?.CallRejected is { } handler)
        {
            Raise(handler, new CallRejectedEventArgs(this, state, RetryAfter(state, now), metricsOnly));
        }

        return new CircuitPermit(this, word, metricsOnly ? PermitKind.Observer : PermitKind.Rejected, now);
    }

    private TimeSpan? RetryAfter(CircuitState state, long now)
    {
        if (state != CircuitState.Open)
        {
            return null;
        }

        long remaining = Volatile.Read(ref _break!.OpenUntil) - now;
        return remaining > 0 ? _settings.ToTimeSpan(remaining) : TimeSpan.Zero;
    }
}
