using System;
using System.Collections.Concurrent;
using System.Threading;
using Microsoft.Extensions.Logging;

namespace Breaker.Logging;

/// <summary>
/// Logs the state changes of every breaker in a registry. Breakers created later (generated code creates them on first
/// use) are found by a scan of the registry every <see cref="ScanInterval"/>, which costs one count comparison when
/// nothing was added. The scan runs on the registry's clock. A breaker found already open, half-open or isolated has its
/// state logged, since the change itself happened before anyone listened.
/// </summary>
internal sealed class CircuitBreakerStateLogger : IDisposable
{
    internal static readonly TimeSpan ScanInterval = TimeSpan.FromSeconds(1);

    private readonly CircuitBreakerRegistry _registry;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<CircuitBreaker, byte> _attached = new();
    private readonly EventHandler<CircuitStateChangedEventArgs> _onStateChanged;
    private readonly object _startLock = new();
    private ITimer? _timer;
    private bool _disposed;

    public CircuitBreakerStateLogger(CircuitBreakerRegistry registry, ILogger logger)
    {
        _registry = registry;
        _logger = logger;
        _onStateChanged = OnStateChanged;
    }

    /// <summary>Attaches to the breakers that exist now and starts looking for new ones.</summary>
    public void Start()
    {
        lock (_startLock)
        {
            if (_disposed || _timer is not null)
            {
                return;
            }

            AttachNew();
            _timer = _registry.TimeProvider.CreateTimer(static state => ((CircuitBreakerStateLogger)state!).AttachNew(), this, ScanInterval, ScanInterval);
        }
    }

    public void Dispose()
    {
        lock (_startLock)
        {
            _disposed = true;
            _timer?.Dispose();
        }

        foreach (CircuitBreaker breaker in _attached.Keys)
        {
            breaker.StateChanged -= _onStateChanged;
        }
    }

    private void AttachNew()
    {
        if (_registry.Count == _attached.Count)
        {
            return;
        }

        foreach (CircuitBreaker breaker in _registry)
        {
            if (_attached.TryAdd(breaker, 0))
            {
                breaker.StateChanged += _onStateChanged;
                LogCurrentState(breaker);
            }
        }
    }

    private void LogCurrentState(CircuitBreaker breaker)
    {
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

    private void OnStateChanged(object? sender, CircuitStateChangedEventArgs e)
    {
        string name = e.Breaker.Name;
        switch (e.To)
        {
            case CircuitState.Open when e.IsDryRun:
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
                Log.DryRunStarted(_logger, name, e.From);
                break;
        }
    }
}
