using System;
using System.Collections.Generic;
using System.Linq;

namespace Breaker.Runtime.Tests;

/// <summary>
/// A deliberately plain, single-threaded circuit breaker that spells docs/semantics.md's rules out one by one: lists instead of
/// ring buffers, a period number instead of a packed state word. The model-based test holds the real breaker to it.
/// Durations are in <see cref="TimeSpan"/> ticks, which is what a <c>FakeTimeProvider</c> timestamp counts.
/// </summary>
internal sealed class ReferenceModel(CircuitBreakerOptions options)
{
    private readonly List<(long Epoch, bool Failure, bool Slow)> _window = [];
    private CircuitState _state = CircuitState.Closed;
    private bool _metricsOnly;
    private int _period;
    private int _consecutiveFailures;
    private int _reopens;
    private long _openUntil;
    private readonly List<long> _probesRunningSince = [];
    private int _freeProbeSlots;
    private int _probeSuccesses;

    public long Successes { get; private set; }
    public long Failures { get; private set; }
    public long Rejections { get; private set; }
    public long Ignored { get; private set; }
    public long SlowCalls { get; private set; }
    public long Opens { get; private set; }
    public long Closes { get; private set; }
    public long Probes { get; private set; }
    public int StateChangedEvents { get; private set; }

    /// <summary>What an observer reads: nothing moves; an open circuit whose break is over reads as half-open.</summary>
    public CircuitState ReadState(long now) =>
        _metricsOnly ? CircuitState.MetricsOnly
        : AwaitingProbe(now) ? CircuitState.HalfOpen
        : _state;

    /// <summary>Whether the break is over and no call has started the half-open period yet.</summary>
    public bool AwaitingProbe(long now) => !_metricsOnly && _state == CircuitState.Open && now >= _openUntil;

    public Permit Acquire(long now)
    {
        while (true)
        {
            switch (_state)
            {
                case CircuitState.Closed:
                    return new Permit(PermitKind.Closed, _period, now);
                case CircuitState.Open when now < _openUntil:
                    return Reject(now);
                case CircuitState.Open:
                    EnterHalfOpen(now);
                    continue;
                case CircuitState.HalfOpen when _freeProbeSlots > 0:
                    _freeProbeSlots--;
                    _probesRunningSince.Add(now);
                    Probes++;
                    return new Permit(PermitKind.Probe, _period, now);
                case CircuitState.HalfOpen when now - _probesRunningSince.Min() >= BreakAfter(_reopens).Ticks:
                    // Every slot is taken and a probe has run for a whole break: it counts as failed.
                    Reopen(now);
                    continue;
                default:
                    return Reject(now);
            }
        }
    }

    public void Succeed(Permit permit, long now)
    {
        Successes++;
        bool slow = IsSlow(permit, now);
        if (permit.Kind == PermitKind.Closed && permit.Period == _period)
        {
            _window.Add((Epoch(now), false, slow));
            _consecutiveFailures = 0;
            TripIfNeeded(now);
        }
        else if (permit.Kind == PermitKind.Probe && permit.Period == _period)
        {
            _probesRunningSince.Remove(permit.Start);
            if (slow)
            {
                Reopen(now);
            }
            else if (++_probeSuccesses == options.SuccessThreshold)
            {
                _window.Clear();
                _consecutiveFailures = 0;
                _reopens = 0;
                Closes++;
                Transition(CircuitState.Closed);
            }
        }
    }

    public void Fail(Permit permit, long now)
    {
        Failures++;
        bool slow = IsSlow(permit, now);
        if (permit.Kind == PermitKind.Closed && permit.Period == _period)
        {
            _window.Add((Epoch(now), true, slow));
            _consecutiveFailures++;
            TripIfNeeded(now);
        }
        else if (permit.Kind == PermitKind.Probe && permit.Period == _period)
        {
            Reopen(now);
        }
    }

    public void Ignore(Permit permit)
    {
        Ignored++;
        if (permit.Kind == PermitKind.Probe && permit.Period == _period)
        {
            _freeProbeSlots++;
            _probesRunningSince.Remove(permit.Start);
        }
    }

    public void Reset() => ChangeByHand(CircuitState.Closed, metricsOnly: false);

    public void Isolate() => ChangeByHand(CircuitState.Isolated, metricsOnly: false);

    public void SetMetricsOnly(bool enabled)
    {
        if (_metricsOnly != enabled)
        {
            ChangeByHand(CircuitState.Closed, enabled);
        }
    }

    public (long Calls, double FailureRate, double SlowCallRate) Window(long now)
    {
        List<(long Epoch, bool Failure, bool Slow)> calls = InWindow(now);
        if (calls.Count == 0)
        {
            return (0, 0, 0);
        }

        return (calls.Count, (double)calls.Count(c => c.Failure) / calls.Count, (double)calls.Count(c => c.Slow) / calls.Count);
    }

    public TimeSpan? RetryAfter(CircuitState visibleState, long now) =>
        visibleState == CircuitState.Open ? TimeSpan.FromTicks(Math.Max(0, _openUntil - now)) : null;

    /// <summary>The calls a window of this kind still holds: the last N, or those of the last ten buckets.</summary>
    private List<(long Epoch, bool Failure, bool Slow)> InWindow(long now)
    {
        if (!options.IsTimeBased)
        {
            return _window.Skip(Math.Max(0, _window.Count - options.SlidingWindowSize)).ToList();
        }

        long current = Epoch(now);
        return _window.Where(c => c.Epoch > current - 10).ToList();
    }

    private long Epoch(long now) => options.IsTimeBased ? now / (options.SamplingDuration.Ticks / 10) : 0;

    private bool IsSlow(Permit permit, long now)
    {
        bool slow = now - permit.Start >= options.SlowCallDuration.Ticks;
        SlowCalls += slow ? 1 : 0;
        return slow;
    }

    private void TripIfNeeded(long now)
    {
        List<(long Epoch, bool Failure, bool Slow)> calls = InWindow(now);
        int failures = calls.Count(c => c.Failure);
        int slow = calls.Count(c => c.Slow);
        bool consecutive = options.ConsecutiveFailureThreshold > 0 && _consecutiveFailures >= options.ConsecutiveFailureThreshold;
        bool ratio = calls.Count >= options.MinimumThroughput
            && ((double)failures / calls.Count >= options.FailureRatio || (double)slow / calls.Count >= options.SlowCallRatio);
        if (consecutive || ratio)
        {
            Open(now);
        }
    }

    private Permit Reject(long now)
    {
        Rejections++;
        return new Permit(_metricsOnly ? PermitKind.Observer : PermitKind.Rejected, _period, now);
    }

    private void EnterHalfOpen(long now)
    {
        _freeProbeSlots = options.SuccessThreshold;
        _probeSuccesses = 0;
        _probesRunningSince.Clear();
        Transition(CircuitState.HalfOpen);
    }

    private void Reopen(long now)
    {
        _reopens++;
        Open(now);
    }

    private void Open(long now)
    {
        _openUntil = now + BreakAfter(_reopens).Ticks;
        Opens++;
        Transition(CircuitState.Open);
    }

    /// <summary>The break after <paramref name="reopens"/> failed verdicts in a row: multiplied that many times, capped.</summary>
    private TimeSpan BreakAfter(int reopens)
    {
        double ticks = options.BreakDuration.Ticks;
        for (int i = 0; i < reopens && ticks < options.MaxBreakDuration.Ticks; i++)
        {
            ticks *= options.BreakDurationMultiplier;
        }

        return options.BreakDurationMultiplier == 1.0 ? options.BreakDuration
            : ticks >= options.MaxBreakDuration.Ticks ? options.MaxBreakDuration
            : TimeSpan.FromTicks((long)ticks);
    }

    private void ChangeByHand(CircuitState target, bool metricsOnly)
    {
        CircuitState before = _metricsOnly ? CircuitState.MetricsOnly : _state;
        if (target == CircuitState.Closed)
        {
            _window.Clear();
            _consecutiveFailures = 0;
            _reopens = 0;
        }

        _metricsOnly = metricsOnly;
        _state = target;
        _period++;
        if (before != (metricsOnly ? CircuitState.MetricsOnly : target))
        {
            StateChangedEvents++;
        }
    }

    private void Transition(CircuitState to)
    {
        _state = to;
        _period++;
        StateChangedEvents++;
    }

    public readonly record struct Permit(PermitKind Kind, int Period, long Start)
    {
        public bool IsGranted => Kind != PermitKind.Rejected;
    }
}
