using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Linq;
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
    public void The_Breaker_meter_reports_calls_durations_transitions_and_state()
    {
        string name = TestBreakers.UniqueName("meter");
        var measurements = new List<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Breaker")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Collect(i, v, tags));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Collect(i, v, tags));
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Collect(i, v, tags));
        listener.Start();

        CircuitBreaker breaker = TestBreakers.Create(_time, o => o.SuccessThreshold = 1, name);
        CircuitPermit timed = breaker.TryAcquire();
        _time.Advance(TimeSpan.FromMilliseconds(250));
        timed.RecordSuccess();
        breaker.TryAcquire().RecordIgnored();
        CircuitPermit timeout = breaker.TryAcquire();
        timeout.RecordFailure(new TimeoutException(), FailureKind.Timeout);
        breaker.Fail(2); // 3 of 4 calls failed: open
        Assert.False(breaker.TryAcquire().IsGranted);
        listener.RecordObservableInstruments();
        _time.Advance(TimeSpan.FromSeconds(30));
        breaker.Succeed(1);
        listener.RecordObservableInstruments();

        var calls = measurements.Where(m => m.Instrument == "breaker.calls").ToList();
        Assert.Equal(2, calls.Count(m => Equals(m.Tags["breaker.outcome"], "success")));
        Assert.Equal(3, calls.Count(m => Equals(m.Tags["breaker.outcome"], "failure")));
        Assert.Single(calls, m => Equals(m.Tags["breaker.outcome"], "ignored"));
        Assert.Single(calls, m => Equals(m.Tags["breaker.outcome"], "rejected"));
        Assert.Single(calls, m => m.Tags.TryGetValue("breaker.failure.kind", out object? kind) && Equals(kind, "timeout"));
        Assert.Equal(2, calls.Count(m => m.Tags.TryGetValue("breaker.failure.kind", out object? kind) && Equals(kind, "exception")));
        Assert.All(calls, m => Assert.Equal(1, m.Value));

        var durations = measurements.Where(m => m.Instrument == "breaker.call.duration").ToList();
        Assert.Equal(5, durations.Count); // successes and failures, not ignored or rejected calls
        Assert.Contains(durations, m => m.Value == 0.25 && Equals(m.Tags["breaker.outcome"], "success"));

        var transitions = measurements.Where(m => m.Instrument == "breaker.state.transitions")
            .Select(m => ((string?)m.Tags["breaker.state.from"], (string?)m.Tags["breaker.state.to"]))
            .ToList();
        Assert.Equal(new (string?, string?)[] { ("closed", "open"), ("open", "half_open"), ("half_open", "closed") }, transitions);

        var states = measurements.Where(m => m.Instrument == "breaker.state").Select(m => m.Value).ToList();
        Assert.Equal(new double[] { (int)CircuitState.Open, (int)CircuitState.Closed }, states);

        void Collect<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
            where T : struct
        {
            var map = new Dictionary<string, object?>();
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                map[tag.Key] = tag.Value;
            }

            if (Equals(map.GetValueOrDefault("breaker.name"), name))
            {
                lock (measurements)
                {
                    measurements.Add((instrument.Name, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture), map));
                }
            }
        }
    }
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
