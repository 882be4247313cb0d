using System;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Breaker.Logging;

/// <summary>
/// Logs the state changes of every breaker in a registry: those that exist when it starts, and those created later (generated
/// code creates them on first use), which it attaches to as the registry adds them. A breaker already open, half-open or
/// isolated when it starts has its current state logged, since that change happened before anyone listened. It also logs
/// configuration that a new breaker had to set aside, and a <see cref="CircuitBreakerOptions.ShouldHandle"/> or a
/// <see cref="CircuitBreakerOptions.BreakDurationHook"/> that failed.
/// </summary>
internal sealed class CircuitBreakerStateLogger : IDisposable
{
    private readonly CircuitBreakerRegistry _registry;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<CircuitBreaker, byte> _attached = new();
    private readonly EventHandler<CircuitStateChangedEventArgs> _onStateChanged;
    private readonly EventHandler<CircuitBreaker> _onBreakerAdded;
    private readonly EventHandler<CircuitBreaker> _onBreakerRemoved;
    private readonly EventHandler<ConfigurationRejectedEventArgs> _onConfigurationRejected;
    private readonly EventHandler<ShouldHandleFailedEventArgs> _onShouldHandleFailed;
    private readonly EventHandler<BreakDurationHookFailedEventArgs> _onBreakDurationHookFailed;
    private readonly object _startLock = new();
    private bool _started;
    private bool _disposed;

    public CircuitBreakerStateLogger(CircuitBreakerRegistry registry, ILogger logger)
    {
        _registry = registry;
        _logger = logger;
        _onStateChanged = OnStateChanged;
        _onBreakerAdded = (_, breaker) => Attach(breaker, logCurrentState: false);
        _onBreakerRemoved = (_, breaker) => Detach(breaker);
        _onConfigurationRejected = (_, e) => Log.ConfigurationSetAside(_logger, e.BreakerName, e.Error.Message);
        _onShouldHandleFailed = (_, e) => Log.ShouldHandleFailed(_logger, e.Breaker.Name, e.Exception.GetType().FullName, e.Error);
        _onBreakDurationHookFailed = (_, e) => Log.BreakDurationHookFailed(_logger, e.Breaker.Name, e.BreakDuration, e.Error);
    }

    /// <summary>Attaches to the breakers that exist now and to every one the registry adds from now on.</summary>
    public void Start()
    {
        lock (_startLock)
        {
            if (_disposed || _started)
            {
                return;
            }

            _started = true;

            // Subscribe first, then enumerate: a breaker added in between is seen twice and attached once.
            _registry.BreakerAdded += _onBreakerAdded;
            _registry.BreakerRemoved += _onBreakerRemoved;
            _registry.ConfigurationRejected += _onConfigurationRejected;
            foreach (CircuitBreaker breaker in _registry)
            {
                Attach(breaker, logCurrentState: true);
            }
        }
    }

    public void Dispose()
    {
        lock (_startLock)
        {
            _disposed = true;
            _registry.BreakerAdded -= _onBreakerAdded;
            _registry.BreakerRemoved -= _onBreakerRemoved;
            _registry.ConfigurationRejected -= _onConfigurationRejected;
        }

        foreach (CircuitBreaker breaker in _attached.Keys)
        {
            Unsubscribe(breaker);
        }
    }

    private void Attach(CircuitBreaker breaker, bool logCurrentState)
    {
        if (!_attached.TryAdd(breaker, 0))
        {
            return;
        }

        breaker.StateChanged += _onStateChanged;
        breaker.ShouldHandleFailed += _onShouldHandleFailed;

        // A keyed group may have evicted it meanwhile (its removal heard before this attached): let go of it then.
        if (!_registry.TryGet(breaker.Name, out CircuitBreaker? live) || !ReferenceEquals(live, breaker))
        {
            Detach(breaker);
            return;
        }

        breaker.BreakDurationHookFailed += _onBreakDurationHookFailed;
        if (!logCurrentState)
        {
            return;
        }

        CircuitState state = breaker.State;
        if (state is CircuitState.Open or CircuitState.Isolated)
        {
            Log.FoundRejecting(_logger, breaker.Name, state);
        }
        else if (state is CircuitState.HalfOpen or CircuitState.MetricsOnly)
        {
            Log.FoundNotClosed(_logger, breaker.Name, state);
        }
    }

    /// <summary>Lets go of a breaker a keyed group evicted, so what the logger holds stays as bounded as the registry.</summary>
    private void Detach(CircuitBreaker breaker)
    {
        if (_attached.TryRemove(breaker, out _))
        {
            Unsubscribe(breaker);
        }
    }

    /// <summary>Removes every handler <see cref="Attach"/> adds (removing one never added does nothing).</summary>
    private void Unsubscribe(CircuitBreaker breaker)
    {
        breaker.StateChanged -= _onStateChanged;
        breaker.ShouldHandleFailed -= _onShouldHandleFailed;
        breaker.BreakDurationHookFailed -= _onBreakDurationHookFailed;
    }

    private void OnStateChanged(object? sender, CircuitStateChangedEventArgs e)
    {
        string name = e.Breaker.Name;
        switch (e.To)
        {
            case CircuitState.Open when e.IsMetricsOnly:
                Log.WouldHaveOpened(_logger, name, e.BreakDuration ?? TimeSpan.Zero);
                break;
            case CircuitState.Open:
                Log.Opened(_logger, name, e.From, e.BreakDuration ?? TimeSpan.Zero);
                break;
            case CircuitState.HalfOpen:
                Log.HalfOpened(_logger, name, e.From, e.Breaker.Options.SuccessThreshold);
                break;
            case CircuitState.Closed:
                Log.Closed(_logger, name, e.From);
                break;
            case CircuitState.Isolated:
                Log.Isolated(_logger, name, e.From);
                break;
            case CircuitState.MetricsOnly:
                Log.MetricsOnlyStarted(_logger, name, e.From);
                break;
        }
    }
}
