using System;
using System.Diagnostics.Metrics;
using System.Linq;

namespace Breaker.Benchmarks;

/// <summary>
/// A <see cref="MeterListener"/> that enables every instrument of the meters named, as an OpenTelemetry SDK does for the
/// meters it is given, and counts what it receives (its own cost kept to an increment).
/// </summary>
internal sealed class MeterListening : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _measurements;

    public MeterListening(params string[] meters)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (meters.Contains(instrument.Meter.Name))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((_, _, _, _) => _measurements++);
        _listener.SetMeasurementEventCallback<long>((_, _, _, _) => _measurements++);
        _listener.SetMeasurementEventCallback<double>((_, _, _, _) => _measurements++);
        _listener.Start();
    }

    /// <summary>Collects the observable instruments once, as an exporter does every few seconds; returns how many measurements that made.</summary>
    public long Collect()
    {
        long before = _measurements;
        _listener.RecordObservableInstruments();
        return _measurements - before;
    }

    /// <summary>Collects the observable instruments as an exporter would, and fails the run if nothing was ever measured.</summary>
    public void Dispose()
    {
        Collect();
        _listener.Dispose();
        if (_measurements == 0)
        {
            throw new InvalidOperationException("The listener saw no measurement.");
        }
    }
}
