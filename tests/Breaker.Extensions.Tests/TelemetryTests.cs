using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Linq;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Extensions.Tests;

/// <summary>
/// What an OpenTelemetry exporter would read from the runtime's "Breaker" meter and activity events. The meter is static
/// and shared by every test, so each test uses breaker names of its own and reads only their measurements.
/// </summary>
public sealed class TelemetryTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Every_instrument_reports_with_the_breakers_name_and_the_right_tags()
    {
        string name = "telemetry-" + Guid.NewGuid().ToString("N");
        using var recorder = new MeasurementRecorder(name);
        var breaker = new CircuitBreaker(name, new CircuitBreakerOptions
        {
            ConsecutiveFailureThreshold = 2,
            BreakDuration = TimeSpan.FromSeconds(10),
            SuccessThreshold = 1,
        }, _time);

        CircuitPermit slowSuccess = breaker.TryAcquire();
        _time.Advance(TimeSpan.FromMilliseconds(1500));
        slowSuccess.RecordSuccess();
        breaker.TryAcquire().RecordIgnored();
        breaker.TryAcquire().RecordFailure(new TimeoutException(), FailureKind.Timeout);
        breaker.TryAcquire().RecordFailure(null, FailureKind.HttpError);
        Assert.False(breaker.TryAcquire().IsGranted);
        recorder.Observe();
        _time.Advance(TimeSpan.FromSeconds(10));
        breaker.TryAcquire().RecordSuccess();
        recorder.Observe();

        // The counts are read when the exporter collects: the second collection gives the totals so far.
        Measurement[] calls = recorder.Of("breaker.calls");
        Assert.Equal(16, calls.Length);
        Assert.Equal(
            [
                "outcome=success 2",
                "outcome=failure kind=exception 0",
                "outcome=failure kind=timeout 1",
                "outcome=failure kind=http_error 1",
                "outcome=failure kind=connection_error 0",
                "outcome=failure kind=slow_call 0",
                "outcome=rejected 1",
                "outcome=ignored 1",
            ],
            calls[8..].Select(m => Describe(m, "breaker.outcome", "breaker.failure.kind") + " " + m.Value));
        Assert.Equal(1.5, recorder.Of("breaker.call.time")[^1].Value, precision: 6);

        Measurement[] durations = recorder.Of("breaker.call.duration");
        Assert.Equal(["outcome=success", "outcome=failure", "outcome=failure", "outcome=success"], durations.Select(m => Describe(m, "breaker.outcome")));
        Assert.Equal(1.5, durations[0].Value, precision: 6);
        Assert.Equal("s", durations[0].Unit);

        Assert.Equal(
            ["from=closed to=open", "from=open to=half_open", "from=half_open to=closed"],
            recorder.Of("breaker.state.transitions").Select(m => $"from={m.Tags["breaker.state.from"]} to={m.Tags["breaker.state.to"]}"));

        Assert.Equal([(double)CircuitState.Open, (double)CircuitState.Closed], recorder.Of("breaker.state").Select(m => m.Value));
    }

    [Fact]
    public void Rejections_and_state_changes_become_events_on_the_current_activity_when_the_Breaker_source_is_traced()
    {
        string name = "activity-" + Guid.NewGuid().ToString("N");
        using var source = new ActivitySource("Breaker.Tests." + name);
        using var listener = new ActivityListener
        {
            // What AddSource("Breaker") does in OpenTelemetry: the runtime adds events only while its source is traced.
            ShouldListenTo = s => s == source || s.Name == "Breaker",
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        var breaker = new CircuitBreaker(name, new CircuitBreakerOptions { ConsecutiveFailureThreshold = 1 }, _time);

        using (Activity activity = source.StartActivity("call")!)
        {
            breaker.TryAcquire().RecordFailure(new InvalidOperationException());
            breaker.TryAcquire();

            Assert.Equal(["breaker.state_changed", "breaker.rejected"], activity.Events.Select(e => e.Name));
            Assert.All(activity.Events, e => Assert.Contains(e.Tags, t => t.Key == "breaker.name" && (string?)t.Value == name));
            Assert.Contains(activity.Events.First().Tags, t => t.Key == "breaker.state.to" && (string?)t.Value == "open");
        }
    }

    private static string Describe(Measurement measurement, params string[] tags) =>
        string.Join(' ', tags.Where(measurement.Tags.ContainsKey).Select(t => $"{t.Split('.').Last()}={measurement.Tags[t]}"));

    private sealed record Measurement(string Instrument, string? Unit, double Value, IReadOnlyDictionary<string, object?> Tags);

    /// <summary>
    /// Listens to every instrument of the "Breaker" meter and of the opt-in "Breaker.Histograms" one, and keeps the
    /// measurements tagged with one breaker's name.
    /// </summary>
    private sealed class MeasurementRecorder : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<Measurement> _measurements = new();
        private readonly string _breakerName;

        public MeasurementRecorder(string breakerName)
        {
            _breakerName = breakerName;
            _listener.InstrumentPublished = static (instrument, listener) =>
            {
                if (instrument.Meter.Name is "Breaker" or "Breaker.Histograms")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
            _listener.SetMeasurementEventCallback<int>((i, v, t, _) => Record(i, v, t));
            _listener.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
            _listener.Start();
        }

        public void Observe() => _listener.RecordObservableInstruments();

        public Measurement[] Of(string instrument) => _measurements.Where(m => m.Instrument == instrument).ToArray();

        public void Dispose() => _listener.Dispose();

        private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var dictionary = new Dictionary<string, object?>();
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                dictionary[tag.Key] = tag.Value;
            }

            if (dictionary.TryGetValue("breaker.name", out object? name) && (string?)name == _breakerName)
            {
                _measurements.Enqueue(new Measurement(instrument.Name, instrument.Unit, value, dictionary));
            }
        }
    }
}
