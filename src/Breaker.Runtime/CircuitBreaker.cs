using System;
using System.Diagnostics;
using System.Threading;
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
    private volatile bool _dryRun;
    private volatile CircuitCoordinator? _coordinator;
    private int _stateWord;

    // Written under the transition lock, before the state word that makes them relevant is published.
    private long _openUntil;
    private long _oldestProbeStart = long.MaxValue;
    private int _reopens;
    private int _probeSlots;
    private int _probeSuccesses;

    private readonly ProbeStarts _probeStarts = new();
    private int _consecutiveFailures;

    // Set when the window's ratio is over a threshold but it holds fewer than MinimumThroughput calls: the next success
    // must then look at the counts, since it may be the call that reaches the minimum.
    private volatile bool _armed;

    // Successes are not counted one by one: the windows already count what they record, so the closed path pays no
    // extra interlocked write. Successful calls = calls recorded in windows - failures recorded there + the others.
    private SlidingWindow? _retiredWindow;
    private long _retiredRecords;
    private long _windowFailures;
    private long _otherSuccesses;

    private readonly StripedCounter _durations = new();
    private long _failures;
    private long _rejections;
    private long _rejectionsAnsweredByFallback;
    private long _dryRunRejections;
    private long _ignored;
    private long _fallbacks;
    private long _slowCalls;
    private long _opens;
    private long _closes;
    private long _halfOpenAttempts;

    /// <summary>Creates a breaker.</summary>
    /// <param name="name">The breaker's name, used in metrics, logs and exceptions.</param>
    /// <param name="options">Its settings (copied and validated); <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The clock; <see langword="null"/> for <see cref="TimeProvider.System"/>. Tests pass a fake one.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is invalid.</exception>
    public CircuitBreaker(string name, CircuitBreakerOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _systemClock = ReferenceEquals(_timeProvider, TimeProvider.System);
        _settings = new BreakerSettings(options ?? new CircuitBreakerOptions(), _timeProvider.TimestampFrequency);
        _window = SlidingWindow.Create(_settings.Options, _settings.TimestampFrequency);
        BreakerTelemetry.Track(this);
    }

    /// <summary>Raised after the circuit changes state (outside any lock).</summary>
    public event EventHandler<CircuitStateChangedEventArgs>? StateChanged;

    /// <summary>Raised after a call is recorded as a success.</summary>
    public event EventHandler<CallSucceededEventArgs>? CallSucceeded;

    /// <summary>Raised after a call is recorded as a failure.</summary>
    public event EventHandler<CallFailedEventArgs>? CallFailed;

    /// <summary>Raised after the circuit rejects a call.</summary>
    public event EventHandler<CallRejectedEventArgs>? CallRejected;

    /// <summary>The breaker's name.</summary>
    public string Name { get; }

    /// <summary>The clock the breaker reads.</summary>
    public TimeProvider TimeProvider => _timeProvider;

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

    /// <summary>The current state. An open circuit whose break has ended reports (and becomes) <see cref="CircuitState.HalfOpen"/>.</summary>
    public CircuitState State
    {
        get
        {
            if (_dryRun)
            {
                return CircuitState.MetricsOnly;
            }

            int word = Volatile.Read(ref _stateWord);
            if (StateOf(word) == CircuitState.Open && Now() >= Volatile.Read(ref _openUntil) && MayStartProbing())
            {
                EnterHalfOpen(word);
                word = Volatile.Read(ref _stateWord);
            }

            return StateOf(word);
        }
    }

    /// <summary>Asks to run one call. Never throws or allocates; a rejection is counted before it returns.</summary>
    public CircuitPermit TryAcquire() => TryAcquire(rejectionUsesFallback: false);

    /// <summary>
    /// Asks to run one call whose rejection, if any, the caller answers with a fallback: the breaker then counts that
    /// rejection in <see cref="CircuitBreakerMetrics.FallbackCalls"/> too, in the same write (generated code uses this).
    /// </summary>
    /// <param name="rejectionUsesFallback">True when a rejected call will be answered by a fallback.</param>
    public CircuitPermit TryAcquire(bool rejectionUsesFallback)
    {
        int word = Volatile.Read(ref _stateWord);
        if (StateOf(word) == CircuitState.Closed)
        {
            // Hot path: one volatile read and a (usually cached) timestamp. No lock, no interlocked write.
            return NeedsPreciseDurations()
                ? new CircuitPermit(this, word, PermitKind.Closed, Stopwatch.GetTimestamp(), precise: true)
                : new CircuitPermit(this, word, PermitKind.Closed, Now(), precise: false);
        }

        return AcquireSlow(word, rejectionUsesFallback);
    }

    /// <summary>The exception a rejection throws, or passes to a fallback's exception parameter.</summary>
    public BrokenCircuitException CreateRejectedException()
    {
        CircuitState state = State;
        return new BrokenCircuitException(Name, state, RetryAfter(state, Now()));
    }

    /// <summary>Counts a call answered by a fallback (generated code calls it when it uses one).</summary>
    public void RecordFallback() => Interlocked.Increment(ref _fallbacks);

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

    /// <summary>
    /// Opens the circuit until <paramref name="breakEnds"/> (on this breaker's clock), as decided elsewhere: for example
    /// by the fleet. A circuit that is already open keeps the later of the two ends; isolated and dry-run circuits are left alone.
    /// </summary>
    public void OpenUntil(DateTimeOffset breakEnds)
    {
        long now = Now();
        TimeSpan remaining = breakEnds - _timeProvider.GetUtcNow();
        Transition transition = default;
        lock (_transitionLock)
        {
            CircuitState state = StateOf(_stateWord);
            if (_dryRun || state == CircuitState.Isolated || remaining <= TimeSpan.Zero)
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
            transition = Publish(CircuitState.Open, remaining);
        }

        RaiseTransition(transition);
    }

    /// <summary>
    /// Closes the circuit, as decided elsewhere (for example by the fleet's probes), if it is open or half-open: an empty
    /// window, no consecutive failures, no back-off, counted in <see cref="CircuitBreakerMetrics.CircuitCloses"/>.
    /// Closed, isolated and dry-run circuits are left alone.
    /// </summary>
    /// <returns>Whether this call closed the circuit.</returns>
    public bool CloseIfOpen()
    {
        Transition transition;
        lock (_transitionLock)
        {
            if (_dryRun || StateOf(_stateWord) is not (CircuitState.Open or CircuitState.HalfOpen))
            {
                return false;
            }

            transition = CloseAfterRecovery();
        }

        RaiseTransition(transition);
        return true;
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

    /// <summary>A snapshot of the breaker's counters and current window.</summary>
    public CircuitBreakerMetrics GetMetrics()
    {
        CircuitState state = State;
        long now = Now();
        WindowCounts window = _window.GetCounts(now);
        long successes = SuccessfulCalls();
        long failures = Volatile.Read(ref _failures);
        long ignored = Volatile.Read(ref _ignored);
        long rejectedNotRun = Volatile.Read(ref _rejections) + Volatile.Read(ref _rejectionsAnsweredByFallback);
        long dryRunRejections = Volatile.Read(ref _dryRunRejections);
        long measured = successes + failures;
        return new CircuitBreakerMetrics
        {
            Name = Name,
            State = state,
            SuccessfulCalls = successes,
            FailedCalls = failures,
            TotalCalls = successes + failures + ignored + rejectedNotRun,
            RejectedCalls = rejectedNotRun + dryRunRejections,
            IgnoredCalls = ignored,
            FallbackCalls = Volatile.Read(ref _fallbacks) + Volatile.Read(ref _rejectionsAnsweredByFallback),
            SlowCalls = Volatile.Read(ref _slowCalls),
            CircuitOpens = Volatile.Read(ref _opens),
            CircuitCloses = Volatile.Read(ref _closes),
            HalfOpenAttempts = Volatile.Read(ref _halfOpenAttempts),
            WindowCalls = window.Calls,
            WindowFailures = window.Failures,
            WindowSlowCalls = window.SlowCalls,
            FailureRate = window.FailureRate,
            SlowCallRate = window.SlowCallRate,
            AverageDuration = measured == 0 ? TimeSpan.Zero : _settings.ToTimeSpan(_durations.Sum / measured),
            RetryAfter = state == CircuitState.Open ? RetryAfter(state, now) : null,
        };
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({State})";

    internal void OnSuccess(in CircuitPermit permit)
    {
        long now = End(in permit);
        long elapsed = now - permit.StartTimestamp;
        BreakerSettings settings = _settings;
        bool slow = elapsed >= settings.SlowCallTicks;
        Measure(elapsed, slow);

        bool recorded = false;
        if (permit.Kind == PermitKind.Closed)
        {
            SlidingWindow window = _window;
            if (permit.StateWord == Volatile.Read(ref _stateWord))
            {
                recorded = true;
                bool mayTrip = window.Record(failure: false, slow, now);

                // Read before writing: in the common case the counter is already zero and the cache line stays shared.
                if (Volatile.Read(ref _consecutiveFailures) != 0)
                {
                    Volatile.Write(ref _consecutiveFailures, 0);
                }

                // A plain success cannot raise a ratio: look at the counts only when the window says they may have
                // crossed a threshold, or when this call may be the one that reaches the minimum throughput.
                if (mayTrip || _armed)
                {
                    Evaluate(permit.StateWord, window, consecutiveFailures: 0, settings, now);
                }
            }
        }
        else if (permit.Kind == PermitKind.Probe)
        {
            // A probe that succeeds but is slow counts as a failed probe (DESIGN.md).
            RecordProbeVerdict(in permit, success: !slow, now);
        }

        if (!recorded)
        {
            Interlocked.Increment(ref _otherSuccesses);
        }

        if (BreakerTelemetry.Calls.Enabled || BreakerTelemetry.CallDuration.Enabled)
        {
            BreakerTelemetry.RecordOutcome(this, "success", null, settings.ToTimeSpan(elapsed));
        }

        if (CallSucceeded is { } handler)
        {
            Raise(handler, new CallSucceededEventArgs(this, settings.ToTimeSpan(elapsed), slow));
        }
    }

    internal void OnFailure(in CircuitPermit permit, Exception? exception, FailureKind kind)
    {
        long now = End(in permit);
        long elapsed = now - permit.StartTimestamp;
        BreakerSettings settings = _settings;
        bool slow = elapsed >= settings.SlowCallTicks;
        Interlocked.Increment(ref _failures);
        Measure(elapsed, slow);

        if (permit.Kind == PermitKind.Closed)
        {
            SlidingWindow window = _window;
            if (permit.StateWord == Volatile.Read(ref _stateWord))
            {
                window.Record(failure: true, slow, now);
                Interlocked.Increment(ref _windowFailures);
                int consecutive = Interlocked.Increment(ref _consecutiveFailures);
                Evaluate(permit.StateWord, window, consecutive, settings, now);
            }
        }
        else if (permit.Kind == PermitKind.Probe)
        {
            RecordProbeVerdict(in permit, success: false, now);
        }

        if (BreakerTelemetry.Calls.Enabled || BreakerTelemetry.CallDuration.Enabled)
        {
            BreakerTelemetry.RecordOutcome(this, "failure", kind, settings.ToTimeSpan(elapsed));
        }

        if (CallFailed is { } handler)
        {
            Raise(handler, new CallFailedEventArgs(this, kind, exception, settings.ToTimeSpan(elapsed)));
        }
    }

    internal void OnIgnored(in CircuitPermit permit)
    {
        Interlocked.Increment(ref _ignored);
        if (permit.Kind == PermitKind.Probe)
        {
            // A probe without a verdict gives its slot back, so the half-open state cannot run out of probes.
            lock (_transitionLock)
            {
                if (permit.StateWord == _stateWord)
                {
                    _probeSlots++;
                    FinishProbe(permit.StartTimestamp);
                }
            }
        }

        if (BreakerTelemetry.Calls.Enabled)
        {
            BreakerTelemetry.RecordOutcome(this, "ignored", null, null);
        }
    }

    private static CircuitState StateOf(int word) => (CircuitState)(word & StateMask);

    /// <summary>Checks the thresholds after an outcome admitted while closed, and opens the circuit if one is met.</summary>
    private void Evaluate(int word, SlidingWindow window, int consecutiveFailures, BreakerSettings settings, long now)
    {
        CircuitBreakerOptions options = settings.Options;
        WindowCounts counts = window.GetCounts(now);

        bool overRatio = options.IsRatioThresholdReached(counts.Calls, counts.Failures, counts.SlowCalls);
        bool armed = overRatio && counts.Calls < options.MinimumThroughput;
        if (_armed != armed)
        {
            _armed = armed;
        }

        if ((overRatio && !armed)
            || (options.ConsecutiveFailureThreshold > 0 && consecutiveFailures >= options.ConsecutiveFailureThreshold))
        {
            Trip(word, now);
        }
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
    private long End(in CircuitPermit permit) => permit.Precise ? Stopwatch.GetTimestamp() : Now();

    /// <summary>Whether someone will see this call's own duration (an event handler, a duration histogram), so a cached clock won't do.</summary>
    private bool NeedsPreciseDurations() =>
        _systemClock
        && _settings.UsesCoarseClock
        && (CallSucceeded is not null || CallFailed is not null || BreakerTelemetry.CallDuration.Enabled);

    private bool MayStartProbing() => _coordinator is not { } coordinator || coordinator.MayStartProbing(this);

    private long SuccessfulCalls()
    {
        long recorded = Volatile.Read(ref _retiredRecords) + (_retiredWindow?.Recorded ?? 0) + _window.Recorded;
        return recorded - Volatile.Read(ref _windowFailures) + Volatile.Read(ref _otherSuccesses);
    }

    /// <summary>
    /// Under the lock: starts a window of another kind or size (a reconfiguration). The old one is kept until the next
    /// replacement, so that a call still recording into it (it read the window just before the swap) is counted all the same.
    /// </summary>
    private void ReplaceWindow()
    {
        if (_retiredWindow is { } older)
        {
            _retiredRecords += older.Recorded;
        }

        _retiredWindow = _window;
        _window = SlidingWindow.Create(_settings.Options, _settings.TimestampFrequency);
        _armed = false;
    }

    private void Measure(long elapsed, bool slow)
    {
        _durations.Add(elapsed);
        if (slow)
        {
            Interlocked.Increment(ref _slowCalls);
        }
    }

    private CircuitPermit AcquireSlow(int word, bool rejectionUsesFallback)
    {
        while (true)
        {
            long now = Now();
            switch (StateOf(word))
            {
                case CircuitState.Closed:
                    return new CircuitPermit(this, word, PermitKind.Closed, now);

                case CircuitState.Open when now < Volatile.Read(ref _openUntil):
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

    private bool TryTakeProbeSlot(int word, long now, out bool retry)
    {
        retry = false;
        BreakerSettings settings = _settings;
        long breakTicks = settings.ToTimestampTicks(settings.BreakDurationAfter(Volatile.Read(ref _reopens)));

        // Rejections while every probe slot is taken stay lock-free, like rejections while open.
        if (Volatile.Read(ref _probeSlots) == 0 && now - Volatile.Read(ref _oldestProbeStart) < breakTicks)
        {
            return false;
        }

        Transition transition = default;
        lock (_transitionLock)
        {
            if (word != _stateWord)
            {
                retry = true;
                return false;
            }

            if (_probeSlots > 0)
            {
                _probeSlots--;
                _halfOpenAttempts++;
                _probeStarts.Add(now);
                Volatile.Write(ref _oldestProbeStart, _probeStarts.Oldest);
                return true;
            }

            if (now - _oldestProbeStart >= breakTicks)
            {
                // A probe still running a whole break after it started counts as failed (DESIGN.md): reopen, and let
                // the caller look again so its rejection reports the open circuit and when to retry.
                _reopens++;
                transition = Open(now, CircuitState.HalfOpen);
                retry = true;
            }
        }

        RaiseTransition(transition);
        return false;
    }

    private CircuitPermit Reject(int word, CircuitState state, long now, bool usesFallback)
    {
        // A dry run counts the rejection it would have made and lets the call through, deciding nothing.
        bool dryRun = _dryRun;
        if (dryRun)
        {
            // Counted apart: the call runs, and its outcome counts it in TotalCalls.
            Interlocked.Increment(ref _dryRunRejections);
        }
        else if (usesFallback)
        {
            // One interlocked write for what is both a rejection and a fallback: this path must stay cheap.
            Interlocked.Increment(ref _rejectionsAnsweredByFallback);
        }
        else
        {
            Interlocked.Increment(ref _rejections);
        }

        BreakerTelemetry.RecordRejection(this, state);
        if (CallRejected is { } handler)
        {
            Raise(handler, new CallRejectedEventArgs(this, state, RetryAfter(state, now), dryRun));
        }

        return new CircuitPermit(this, word, dryRun ? PermitKind.Observer : PermitKind.Rejected, now);
    }

    private TimeSpan? RetryAfter(CircuitState state, long now)
    {
        if (state != CircuitState.Open)
        {
            return null;
        }

        long remaining = Volatile.Read(ref _openUntil) - now;
        return remaining > 0 ? _settings.ToTimeSpan(remaining) : TimeSpan.Zero;
    }

    private void Trip(int word, long now)
    {
        Transition transition = default;
        lock (_transitionLock)
        {
            if (word == _stateWord)
            {
                transition = Open(now, CircuitState.Closed);
            }
        }

        RaiseTransition(transition);
    }

    private void EnterHalfOpen(int word)
    {
        Transition transition = default;
        lock (_transitionLock)
        {
            if (word == _stateWord)
            {
                _probeSlots = _settings.Options.SuccessThreshold;
                _probeSuccesses = 0;
                _probeStarts.Clear(_probeSlots);
                Volatile.Write(ref _oldestProbeStart, long.MaxValue);
                transition = Publish(CircuitState.HalfOpen, null);
            }
        }

        RaiseTransition(transition);
    }

    private void RecordProbeVerdict(in CircuitPermit permit, bool success, long now)
    {
        Transition transition = default;
        lock (_transitionLock)
        {
            if (permit.StateWord != _stateWord)
            {
                return;
            }

            FinishProbe(permit.StartTimestamp);
            if (!success)
            {
                _reopens++;
                transition = Open(now, CircuitState.HalfOpen);
            }
            else if (++_probeSuccesses >= _settings.Options.SuccessThreshold)
            {
                transition = CloseAfterRecovery();
            }
        }

        RaiseTransition(transition);
    }

    /// <summary>Under the lock: a probe of the current period is no longer running.</summary>
    private void FinishProbe(long start)
    {
        _probeStarts.Remove(start);
        Volatile.Write(ref _oldestProbeStart, _probeStarts.Oldest);
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

    /// <summary>Under the lock: opens the circuit for the current (backed-off) break.</summary>
    private Transition Open(long now, CircuitState from)
    {
        TimeSpan breakDuration = _settings.BreakDurationAfter(_reopens);
        Volatile.Write(ref _openUntil, now + _settings.ToTimestampTicks(breakDuration));
        _opens++;
        Transition transition = Publish(CircuitState.Open, breakDuration);
        return transition with { From = from };
    }

    /// <summary>Under the lock: closes a half-open circuit whose probes all succeeded.</summary>
    private Transition CloseAfterRecovery()
    {
        ForgetHistory();
        _closes++;
        return Publish(CircuitState.Closed, null);
    }

    /// <summary>Under the lock: an empty window, no consecutive failures, no back-off.</summary>
    private void ForgetHistory()
    {
        // Emptied in place rather than replaced: a call recording concurrently still lands in a window whose lifetime
        // count is read, so the successes derived from it stay exact.
        _window.Clear();
        _armed = false;
        Volatile.Write(ref _consecutiveFailures, 0);
        _reopens = 0;
    }

    /// <summary>Under the lock: publishes <paramref name="to"/> with the next generation.</summary>
    private Transition Publish(CircuitState to, TimeSpan? breakDuration)
    {
        int word = _stateWord;
        int next = (((word >> StateBits) + 1) << StateBits) | (int)to;
        Volatile.Write(ref _stateWord, next);
        return new Transition(true, StateOf(word), to, breakDuration, _dryRun);
    }

    private void RaiseTransition(in Transition transition)
    {
        if (!transition.Happened)
        {
            return;
        }

        BreakerTelemetry.RecordTransition(this, transition.From, transition.To);
        if (StateChanged is { } handler)
        {
            Raise(handler, new CircuitStateChangedEventArgs(this, transition.From, transition.To, transition.BreakDuration, transition.IsDryRun));
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

    private readonly record struct Transition(bool Happened, CircuitState From, CircuitState To, TimeSpan? BreakDuration, bool IsDryRun);
}
