using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Linq;

namespace Breaker.Tests.Shared;

/// <summary>
/// Listens to the Breaker meter for one breaker (the meter is process-wide, so tests give their breaker a unique name):
/// the readings of the <c>breaker.state</c> gauge, and every measurement made as something happened (not read by a
/// collection) as "instrument from->to".
/// </summary>
internal sealed class BreakerMeterListener : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly string _name;

    public BreakerMeterListener(string name)
    {
        _name = name;
        _listener.InstrumentPublished = static (instrument, listener) =>
        {
            if (instrument.Meter.Name == CircuitBreakerTelemetry.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>Each reading of the state gauge, in order.</summary>
    public List<int> Gauge { get; } = [];

    /// <summary>Every measurement of a synchronous instrument, as <c>instrument from->to</c>.</summary>
    public List<string> Counted { get; } = [];

    /// <summary>Reads the gauge now, as a metrics exporter's collection would.</summary>
    public void ObserveGauge() => _listener.RecordObservableInstruments();

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        Dictionary<string, object?> byName = tags.ToArray().ToDictionary(static t => t.Key, static t => t.Value);
        if (!Equals(byName.GetValueOrDefault("breaker.name"), _name))
        {
            return;
        }

        if (instrument.Name == "breaker.state")
        {
            Gauge.Add((int)value);
        }
        else if (!instrument.IsObservable)
        {
            Counted.Add($"{instrument.Name} {byName.GetValueOrDefault("breaker.state.from")}->{byName.GetValueOrDefault("breaker.state.to")}");
        }
    }
}
