using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Runtime.Tests;

/// <summary>A keyed group's metrics: one series per group by default, per key only when the group asks for it.</summary>
[Collection(ProcessWideCollection.Name)]
public sealed class KeyedTelemetryTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Keys_are_measured_under_the_groups_name_without_a_series_each()
    {
        string name = TestBreakers.UniqueName("keyed-meter");
        var registry = new CircuitBreakerRegistry(_time);
        CircuitBreakerKeys<int> group = registry.GetOrAddGroup<int>(name, o => o.MinimumThroughput = 1);
        using var listener = new Listener(name);

        for (int key = 0; key < 50; key++)
        {
            group.GetBreaker(key).TryAcquire().RecordSuccess();
        }

        group.GetBreaker(7).TryAcquire().RecordFailure(null); // opens key 7
        listener.Observe();

        var calls = listener.Measurements.Where(static m => m.Instrument == "breaker.calls").ToList();
        Assert.Equal(50, calls.Single(static m => Equals(m.Tags["breaker.outcome"], "success")).Value);
        Assert.Equal(1, calls.Single(static m => Equals(m.Tags.GetValueOrDefault("breaker.failure.kind"), "exception")).Value);
        Assert.Equal(51, calls.Sum(static m => m.Value));
        Assert.DoesNotContain(listener.Measurements, static m => m.Tags.ContainsKey("breaker.key"));
        Assert.DoesNotContain(listener.Measurements, static m => m.Instrument == "breaker.state");
        var keysByState = listener.Measurements
            .Where(static m => m.Instrument == "breaker.group.keys")
            .ToDictionary(static m => (string)m.Tags["breaker.state"]!, static m => m.Value);
        Assert.Equal(new Dictionary<string, double> { ["closed"] = 49, ["open"] = 1, ["half_open"] = 0, ["isolated"] = 0, ["metrics_only"] = 0 }, keysByState);
        Assert.Single(listener.Measurements, static m => m.Instrument == "breaker.state.transitions");
    }

    [Fact]
    public void Per_key_metrics_are_opt_in_and_report_only_the_keys_the_group_holds()
    {
        string name = TestBreakers.UniqueName("per-key-meter");
        var registry = new CircuitBreakerRegistry(_time);
        CircuitBreakerKeys<string> group = registry.GetOrAddGroup<string>(name, o =>
        {
            o.MetricsPerKey = true;
            o.MaxKeys = 2;
            o.KeyIdleTimeout = TimeSpan.FromSeconds(1);
        });
        using var listener = new Listener(name);

        group.GetBreaker("old").TryAcquire().RecordSuccess();
        _time.Advance(TimeSpan.FromSeconds(1));
        group.GetBreaker("a").TryAcquire().RecordSuccess();
        group.GetBreaker("b").TryAcquire().RecordSuccess(); // evicts "old"
        listener.Observe();

        // An evicted key's series ends: only the keys held now are reported, each with its own count.
        var successes = listener.Measurements
            .Where(static m => m.Instrument == "breaker.calls" && Equals(m.Tags["breaker.outcome"], "success"))
            .ToDictionary(static m => (string)m.Tags["breaker.key"]!, static m => m.Value);
        Assert.Equal(new Dictionary<string, double> { ["a"] = 1, ["b"] = 1 }, successes);
        Assert.Equal(["a", "b"], listener.Measurements.Where(static m => m.Instrument == "breaker.state").Select(static m => (string)m.Tags["breaker.key"]!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_groups_counts_keep_what_its_evicted_keys_counted_and_never_go_back()
    {
        string name = TestBreakers.UniqueName("evicted-meter");
        var registry = new CircuitBreakerRegistry(_time);
        CircuitBreakerKeys<string> group = registry.GetOrAddGroup<string>(name, o =>
        {
            o.MaxKeys = 2;
            o.KeyIdleTimeout = TimeSpan.FromSeconds(1);
        });
        using var listener = new Listener(name);

        for (int i = 0; i < 3; i++)
        {
            group.GetBreaker("old").TryAcquire().RecordSuccess();
        }

        group.GetBreaker("gone").TryAcquire().RecordFailure(null);
        listener.Observe();
        Assert.Equal(3, listener.Last("success"));
        Assert.Equal(1, listener.Last("failure"));

        _time.Advance(TimeSpan.FromSeconds(2));
        group.GetBreaker("a").TryAcquire().RecordSuccess(); // evicts both idle keys
        group.GetBreaker("b").TryAcquire().RecordSuccess();
        Assert.True(registry.TryGetGroup(name, out CircuitBreakerGroup? whole));
        Assert.Equal(2, whole.Evictions);
        listener.Observe();

        Assert.Equal(5, listener.Last("success"));
        Assert.Equal(1, listener.Last("failure"));
    }

    [Fact]
    public async Task A_groups_counts_never_go_back_nor_count_a_call_twice_while_threads_churn_keys_and_a_collector_polls()
    {
        const int Threads = 4;
        const int CallsPerThread = 2_000;
        const int Phases = 5;
        string name = TestBreakers.UniqueName("churn-meter");
        var registry = new CircuitBreakerRegistry(_time);
        CircuitBreakerKeys<int> group = registry.GetOrAddGroup<int>(name, o =>
        {
            o.MaxKeys = 50;
            o.KeyIdleTimeout = TimeSpan.FromSeconds(1);
        });
        using var listener = new Listener(name);
        using var ceiling = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        for (int phase = 0; phase < Phases; phase++)
        {
            // Every key of the last phase is idle now: the callers' new keys evict them while they call and a collector reads.
            _time.Advance(TimeSpan.FromSeconds(2));
            int running = Threads;
            int reads = 0;
            var collector = Task.Run(() =>
            {
                while (Volatile.Read(ref running) > 0 && !ceiling.IsCancellationRequested)
                {
                    listener.Observe();
                    Interlocked.Increment(ref reads);
                }
            });
            Task[] callers = Enumerable.Range(0, Threads).Select(t => Task.Run(() =>
            {
                var random = new Random((phase * Threads) + t);
                for (int i = 0; i < CallsPerThread && !ceiling.IsCancellationRequested; i++)
                {
                    if (i == CallsPerThread / 2)
                    {
                        // Halfway, wait for a read to end: the collector reads while calls run, however late its task starts.
                        int seen = Volatile.Read(ref reads);
                        SpinWait.SpinUntil(() => Volatile.Read(ref reads) > seen || ceiling.IsCancellationRequested);
                    }

                    group.GetBreaker(random.Next(500)).TryAcquire().RecordSuccess();
                }

                Interlocked.Decrement(ref running);
            })).ToArray();
            await Task.WhenAll([.. callers, collector]).WaitAsync(ceiling.Token);
        }

        listener.Observe();
        Assert.True(registry.TryGetGroup(name, out CircuitBreakerGroup? whole));
        Assert.True(whole.Evictions > 0, "the phases evicted keys");
        double[] successes = listener.Successes();
        Assert.True(successes.Length > Phases, "the collector read while the calls ran");
        for (int i = 1; i < successes.Length; i++)
        {
            Assert.True(successes[i] >= successes[i - 1], $"read {i} went back from {successes[i - 1]} to {successes[i]}");
        }

        // A call that looked a key up as it was evicted may finish on the evicted breaker and go uncounted; none counts twice.
        Assert.InRange(successes[^1], 1, Phases * Threads * CallsPerThread);
    }

    [Fact]
    public void A_collection_reads_a_groups_keys_without_copying_them()
    {
        const int Keys = 10_000;
        string name = TestBreakers.UniqueName("walk-meter");
        CircuitBreakerKeys<int> group = new CircuitBreakerRegistry(_time).GetOrAddGroup<int>(name, static o => o.MaxKeys = Keys + 10);
        for (int key = 0; key < 10; key++)
        {
            group.GetBreaker(key).TryAcquire().RecordSuccess();
        }

        using var listener = new MeterListener();
        listener.InstrumentPublished = static (instrument, l) =>
        {
            if (instrument.Meter.Name == CircuitBreakerTelemetry.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>(static (_, _, _, _) => { });
        listener.SetMeasurementEventCallback<int>(static (_, _, _, _) => { });
        listener.SetMeasurementEventCallback<double>(static (_, _, _, _) => { });
        listener.Start();
        listener.RecordObservableInstruments(); // the first collection makes the series and loads the types
        long small = AllocatedByCollection(listener);

        for (int key = 10; key < Keys; key++)
        {
            group.GetBreaker(key).TryAcquire().RecordSuccess();
        }

        // The group is one series: a collection reads its keys' counts and states three times (calls, call time, keys by
        // state), each by walking the group, not by copying 10,000 references (which cost 24 B a key per collection).
        long large = AllocatedByCollection(listener);
        Assert.True(large - small < 4_096, $"{large - small} B more for 9,990 more keys");
        Assert.Equal(Keys, group.Group.Count);

        static long AllocatedByCollection(MeterListener listener)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            listener.RecordObservableInstruments();
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
    }

    private sealed class Listener : IDisposable
    {
        private readonly MeterListener _listener = new();

        public Listener(string name)
        {
            _listener.InstrumentPublished = static (instrument, l) =>
            {
                if (instrument.Meter.Name == CircuitBreakerTelemetry.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Collect(name, i, v, tags));
            _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Collect(name, i, v, tags));
            _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Collect(name, i, v, tags));
            _listener.Start();
        }

        public List<(string Instrument, double Value, Dictionary<string, object?> Tags)> Measurements { get; } = [];

        public void Observe() => _listener.RecordObservableInstruments();

        /// <summary>Every <c>breaker.calls</c> success value reported, in the order read.</summary>
        public double[] Successes()
        {
            lock (Measurements)
            {
                return Measurements.Where(static m => m.Instrument == "breaker.calls" && Equals(m.Tags["breaker.outcome"], "success")).Select(static m => m.Value).ToArray();
            }
        }

        /// <summary>The last <c>breaker.calls</c> value reported for an outcome (failures summed over their kinds).</summary>
        public double Last(string outcome)
        {
            var calls = Measurements.Where(m => m.Instrument == "breaker.calls" && Equals(m.Tags["breaker.outcome"], outcome)).ToList();
            int perCollection = outcome == "failure" ? 5 : 1;
            return calls.TakeLast(perCollection).Sum(static m => m.Value);
        }

        public void Dispose() => _listener.Dispose();

        private void Collect<T>(string name, Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
            where T : struct
        {
            var map = new Dictionary<string, object?>();
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                map[tag.Key] = tag.Value;
            }

            if (Equals(map.GetValueOrDefault("breaker.name"), name))
            {
                lock (Measurements)
                {
                    Measurements.Add((instrument.Name, Convert.ToDouble(value, CultureInfo.InvariantCulture), map));
                }
            }
        }
    }
}
