using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Linq;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Runtime.Tests;

/// <summary>Tests that turn the process-wide meter on run alone, so the allocation tests never see a listener.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideCollection
{
    public const string Name = "Process-wide instruments";
}

[Collection(ProcessWideCollection.Name)]
public sealed class TelemetryTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void The_published_names_are_the_ones_to_give_OpenTelemetry()
    {
        Assert.Equal("Breaker", CircuitBreakerTelemetry.MeterName);
        Assert.Equal("Breaker", CircuitBreakerTelemetry.ActivitySourceName);
    }

    [Fact]
    public void The_Breaker_meter_reads_exact_counts_by_outcome_and_kind_the_time_spent_and_the_window_percentiles()
    {
        string name = TestBreakers.UniqueName("meter");
        using var calls = new MetricCollector<long>(null, CircuitBreakerTelemetry.MeterName, "breaker.calls");
        using var time = new MetricCollector<double>(null, CircuitBreakerTelemetry.MeterName, "breaker.call.time");
        using var percentiles = new MetricCollector<double>(null, CircuitBreakerTelemetry.MeterName, "breaker.window.call.duration");
        using var transitions = new MetricCollector<long>(null, CircuitBreakerTelemetry.MeterName, "breaker.state.transitions");
        using var states = new MetricCollector<int>(null, CircuitBreakerTelemetry.MeterName, "breaker.state");
        CircuitBreaker breaker = TestBreakers.Create(_time, o => (o.SuccessThreshold, o.SlidingWindowSize, o.MinimumThroughput) = (1, 20, 10), name);

        Timed(breaker, TimeSpan.FromMilliseconds(250), p => p.RecordSuccess());
        Timed(breaker, TimeSpan.FromMilliseconds(100), p => p.RecordSuccess());
        breaker.TryAcquire().RecordIgnored();
        Timed(breaker, TimeSpan.FromMilliseconds(400), p => p.RecordFailure(new TimeoutException(), FailureKind.Timeout));
        Timed(breaker, TimeSpan.FromMilliseconds(50), p => p.RecordFailure(null, FailureKind.HttpError));
        Timed(breaker, TimeSpan.FromMilliseconds(50), p => p.RecordFailure(null, (FailureKind)42));
        breaker.Succeed(4);
        breaker.Fail(3); // 6 failures in 12 calls: open
        Assert.Equal(CircuitState.Open, breaker.State);
        Assert.False(breaker.TryAcquire().IsGranted);
        Assert.False(breaker.TryAcquire(rejectionUsesFallback: true).IsGranted);
        states.RecordObservableInstruments();
        _time.Advance(TimeSpan.FromSeconds(30));
        breaker.Succeed(1);

        states.RecordObservableInstruments();

        Assert.Equal(
            [
                "success=7", "failure exception=4", "failure timeout=1", "failure http_error=1", "failure connection_error=0",
                "failure slow_call=0", "rejected=2", "ignored=1",
            ],
            Collect(calls, name).Select(static m => Describe(m)));
        Assert.Equal(0.85, Assert.Single(Collect(time, name)).Value, precision: 9);
        Assert.Equal("s", time.Instrument!.Unit);

        // The window was emptied when the circuit closed; the probe that closed it is not in it: no percentile to report.
        Assert.Empty(Collect(percentiles, name));
        Assert.Equal(
            ["closed->open", "open->half_open", "half_open->closed"],
            transitions.GetMeasurementSnapshot().Where(m => Equals(m.Tags["breaker.name"], name)).Select(static m => $"{m.Tags["breaker.state.from"]}->{m.Tags["breaker.state.to"]}"));
        Assert.Equal([(int)CircuitState.Open, (int)CircuitState.Closed], states.GetMeasurementSnapshot().Where(m => Equals(m.Tags["breaker.name"], name)).Select(static m => m.Value));

        // Percentiles while the window holds calls: 2 of 100 ms, 8 of 200 ms (bins are within 12.5% of the truth).
        Timed(breaker, TimeSpan.FromMilliseconds(100), p => p.RecordSuccess());
        Timed(breaker, TimeSpan.FromMilliseconds(100), p => p.RecordSuccess());
        for (int i = 0; i < 8; i++)
        {
            Timed(breaker, TimeSpan.FromMilliseconds(200), p => p.RecordSuccess());
        }

        var byPercentile = Collect(percentiles, name).ToDictionary(static m => m.Tags["breaker.percentile"]!, static m => m.Value);
        Assert.Equal([50, 95, 99], byPercentile.Keys.Cast<int>());
        Assert.All(byPercentile.Values, v => Assert.InRange(v, 0.200 * 0.875, 0.200 * 1.125));
        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        Assert.Equal(byPercentile[50], metrics.DurationP50!.Value.TotalSeconds, precision: 6);
    }

    [Fact]
    public void With_every_Breaker_instrument_listened_to_a_call_measures_nothing_until_a_collection_reads_it()
    {
        string name = TestBreakers.UniqueName("quiet");
        var measured = new List<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = static (instrument, l) =>
        {
            if (instrument.Meter.Name == CircuitBreakerTelemetry.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, _, tags, _) => Note(i, tags));
        listener.SetMeasurementEventCallback<double>((i, _, tags, _) => Note(i, tags));
        listener.SetMeasurementEventCallback<int>((i, _, tags, _) => Note(i, tags));
        listener.Start();
        CircuitBreaker breaker = TestBreakers.Create(_time, name: name);

        breaker.Succeed(3);
        breaker.Fail(1);
        breaker.TryAcquire().RecordIgnored();

        Assert.Empty(measured);
        listener.RecordObservableInstruments();
        Assert.Equal(
            ["breaker.calls", "breaker.call.time", "breaker.window.call.duration", "breaker.state"],
            measured.Distinct());

        void Note(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                if (tag.Key == "breaker.name" && Equals(tag.Value, name))
                {
                    measured.Add(instrument.Name);
                }
            }
        }
    }

    [Fact]
    public void The_per_call_duration_histogram_is_recorded_only_when_its_own_meter_is_listened_to()
    {
        string name = TestBreakers.UniqueName("histogram");
        using var everything = new MetricCollector<long>(null, CircuitBreakerTelemetry.MeterName, "breaker.calls");
        CircuitBreaker breaker = TestBreakers.Create(_time, name: name);
        using (var histogram = new MetricCollector<double>(null, CircuitBreakerTelemetry.HistogramMeterName, "breaker.call.duration"))
        {
            Timed(breaker, TimeSpan.FromMilliseconds(1500), p => p.RecordSuccess());
            Timed(breaker, TimeSpan.FromMilliseconds(20), p => p.RecordFailure(null));
            breaker.TryAcquire().RecordIgnored();

            Assert.Equal(
                ["success 1.5", "failure 0.02"],
                histogram.GetMeasurementSnapshot().Where(m => Equals(m.Tags["breaker.name"], name)).Select(static m => FormattableString.Invariant($"{m.Tags["breaker.outcome"]} {m.Value}")));
            Assert.Equal("s", histogram.Instrument!.Unit);
        }

        // Only the Breaker meter listened to: the histogram is off, and so is the precise clock it needs.
        Assert.False(Telemetry.BreakerTelemetry.CallDuration.Enabled);
    }

    [Fact]
    public void A_listener_that_throws_fails_no_call_and_loses_no_count()
    {
        string name = TestBreakers.UniqueName("throwing");
        using var listener = new MeterListener();
        listener.InstrumentPublished = static (instrument, l) =>
        {
            if (instrument.Meter.Name.StartsWith(CircuitBreakerTelemetry.MeterName, StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>(static (_, _, _, _) => throw new InvalidOperationException("listener"));
        listener.SetMeasurementEventCallback<double>(static (_, _, _, _) => throw new InvalidOperationException("listener"));
        listener.SetMeasurementEventCallback<int>(static (_, _, _, _) => throw new InvalidOperationException("listener"));
        listener.Start();
        CircuitBreaker breaker = TestBreakers.Create(_time, o => o.SuccessThreshold = 1, name);
        var changes = new List<CircuitState>();
        breaker.StateChanged += (_, e) => changes.Add(e.To);

        breaker.Succeed(2);
        breaker.Trip(); // the transition's counter throws inside the listener
        Assert.False(breaker.TryAcquire().IsGranted);
        _time.Advance(TimeSpan.FromSeconds(30));
        breaker.Succeed(1);

        Assert.Equal([CircuitState.Open, CircuitState.HalfOpen, CircuitState.Closed], changes);
        Assert.ThrowsAny<Exception>(listener.RecordObservableInstruments);
        listener.Dispose();
        using var calls = new MetricCollector<long>(null, CircuitBreakerTelemetry.MeterName, "breaker.calls");
        Assert.Equal(["success=3", "failure exception=2", "rejected=1"], Collect(calls, name).Where(static m => m.Value > 0).Select(static m => Describe(m)));
    }

    private void Timed(CircuitBreaker breaker, TimeSpan duration, Action<CircuitPermit> outcome)
    {
        CircuitPermit permit = breaker.TryAcquire();
        Assert.True(permit.IsGranted);
        _time.Advance(duration);
        outcome(permit);
    }

    /// <summary>Reads the observable instruments now, as an exporter's collection would, and returns one breaker's measurements in the order reported.</summary>
    internal static List<CollectedMeasurement<T>> Collect<T>(MetricCollector<T> collector, string name)
        where T : struct
    {
        collector.GetMeasurementSnapshot(clear: true);
        collector.RecordObservableInstruments();
        return collector.GetMeasurementSnapshot().Where(m => Equals(m.Tags["breaker.name"], name)).ToList();
    }

    internal static string Describe(CollectedMeasurement<long> measurement) =>
        measurement.Tags.TryGetValue("breaker.failure.kind", out object? kind)
            ? $"{measurement.Tags["breaker.outcome"]} {kind}={measurement.Value}"
            : $"{measurement.Tags["breaker.outcome"]}={measurement.Value}";
}

[Collection(ProcessWideCollection.Name)]
public sealed class AllocationTests
{
    private const int Calls = 10_000;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_closed_state_allocates_nothing_per_call(bool timeBased)
    {
        var breaker = new CircuitBreaker("alloc-closed", new CircuitBreakerOptions
        {
            SamplingDuration = timeBased ? TimeSpan.FromSeconds(10) : TimeSpan.Zero,
            FailureRatio = 1.0,
            SlowCallRatio = 1.0,
        });
        var error = new InvalidOperationException();
        RunClosedCalls(breaker, error); // warm-up: JIT and tiering

        long before = GC.GetAllocatedBytesForCurrentThread();
        RunClosedCalls(breaker, error);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(CircuitState.Closed, breaker.State);
    }

    [Fact]
    public void Rejections_allocate_nothing()
    {
        var open = new CircuitBreaker("alloc-open", new CircuitBreakerOptions { MinimumThroughput = 1, BreakDuration = TimeSpan.FromHours(1) });
        open.TryAcquire().RecordFailure(null);
        var isolated = new CircuitBreaker("alloc-isolated");
        isolated.Isolate();
        RunRejections(open, isolated);

        long before = GC.GetAllocatedBytesForCurrentThread();
        int rejected = RunRejections(open, isolated);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(2 * Calls, rejected);
    }

    private static void RunClosedCalls(CircuitBreaker breaker, Exception error)
    {
        for (int i = 0; i < Calls; i++)
        {
            CircuitPermit permit = breaker.TryAcquire();
            if ((i & 15) == 0)
            {
                permit.RecordFailure(error);
            }
            else if ((i & 15) == 1)
            {
                permit.RecordIgnored();
            }
            else
            {
                permit.RecordSuccess();
            }
        }
    }

    private static int RunRejections(CircuitBreaker open, CircuitBreaker isolated)
    {
        int rejected = 0;
        for (int i = 0; i < Calls; i++)
        {
            rejected += open.TryAcquire().IsGranted ? 0 : 1;
            rejected += isolated.TryAcquire().IsGranted ? 0 : 1;
        }

        return rejected;
    }
}
