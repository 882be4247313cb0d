using System;
using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;

namespace Breaker.Benchmarks;

/// <summary>The closed-state call with nobody listening to the Breaker meter, and with a MeterListener enabled on every instrument.</summary>
public class TelemetryBenchmarks
{
    private readonly GuardedService _service = new();
    private MeterListener? _listener;
    private long _measurements;

    [Params(false, true)]
    public bool Listening { get; set; }

    [GlobalSetup]
    public void Listen()
    {
        if (!Listening)
        {
            return;
        }

        _listener = new MeterListener
        {
            InstrumentPublished = static (instrument, listener) =>
            {
                if (instrument.Meter.Name == "Breaker")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((_, _, _, _) => _measurements++);
        _listener.SetMeasurementEventCallback<double>((_, _, _, _) => _measurements++);
        _listener.Start();
    }

    [GlobalCleanup]
    public void StopListening()
    {
        _listener?.Dispose();
        if (Listening && _measurements == 0)
        {
            throw new InvalidOperationException("The listener saw no measurement.");
        }
    }

    [Benchmark]
    public int Breaker_Sync() => _service.ComputeObserved(1);
}
