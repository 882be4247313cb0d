using System;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Breaker.AspNetCore.Endpoints;
using Breaker.AspNetCore.History;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Breaker.Benchmarks;

/// <summary>
/// What watching 10,000 breakers costs the server (issue 25): one round of the dashboard's failure-rate history, the
/// events feed the dashboard polls (<c>/circuit-breakers/events?limit=25</c>), the same with a bad query (a 400), the
/// summary page the dashboard polls (<c>?order=worst&amp;limit=24</c>), and one OpenTelemetry collection. The breakers are
/// named like a host each, use a 30 s time window, took 20 calls each (a quarter failed) and have full event rings (32
/// events: isolated and reset 16 times), the worst case for the events feed. The history round is measured three ways over
/// them: with nothing called since the last round (every rate non-zero, nothing aged out), with one call to every breaker
/// since the last round (each must be read), and over 10,000 breakers never called (idle); and on 10,000 keys of one keyed
/// group. The collection is also measured on 100,000 keys of one group. Each endpoint runs as Kestrel would run it,
/// on a <see cref="DefaultHttpContext"/> whose response goes nowhere.
/// </summary>
public class MonitorCostBenchmarks
{
    private const int Breakers = 10_000;
    private const int GroupKeys = 100_000;

    private CircuitBreakerRegistry _registry = null!;
    private FailureRateHistory _history = null!;
    private EventEndpoints _events = null!;
    private MonitorEndpoints _monitor = null!;
    private MeterListening? _meter;
    private IServiceProvider _services = null!;

    [GlobalSetup(Targets = [nameof(History_round), nameof(History_round_everything_changed), nameof(Events_limit_25), nameof(Events_bad_query), nameof(Summary_worst_24), nameof(OpenTelemetry_collection)])]
    public void TenThousandBreakers()
    {
        _registry = new CircuitBreakerRegistry(TimeProvider.System);
        for (int i = 0; i < Breakers; i++)
        {
            CircuitBreaker breaker = Add(i);
            for (int round = 0; round < 16; round++)
            {
                breaker.Isolate();
                breaker.Reset();
            }

            Use(breaker);
        }

        Listen();
    }

    [GlobalSetup(Target = nameof(History_round_idle))]
    public void TenThousandIdleBreakers()
    {
        _registry = new CircuitBreakerRegistry(TimeProvider.System);
        for (int i = 0; i < Breakers; i++)
        {
            Add(i);
        }

        Listen();
    }

    /// <summary>Before each round of <see cref="History_round_everything_changed"/>: one successful call to every breaker.</summary>
    [IterationSetup(Target = nameof(History_round_everything_changed))]
    public void CallEveryBreakerOnce()
    {
        foreach (CircuitBreaker breaker in _registry)
        {
            breaker.Execute(static () => 0);
        }
    }

    [GlobalSetup(Target = nameof(History_round_keyed_group))]
    public void TenThousandKeys() => Keys(Breakers);

    [GlobalSetup(Target = nameof(OpenTelemetry_collection_100000_keys))]
    public void HundredThousandKeys() => Keys(GroupKeys);

    [GlobalCleanup]
    public void Stop()
    {
        _meter?.Dispose();
        _history.Dispose();
    }

    /// <summary>One sampling round of the dashboard's history (every 2 s in production), nothing called since the last.</summary>
    [Benchmark]
    public void History_round() => _history.Sample();

    /// <summary>One sampling round after every breaker took a call: each breaker's window is read.</summary>
    [Benchmark]
    public void History_round_everything_changed() => _history.Sample();

    /// <summary>One sampling round over breakers never called.</summary>
    [Benchmark]
    public void History_round_idle() => _history.Sample();

    /// <summary>One sampling round when every breaker is a key of one keyed group.</summary>
    [Benchmark]
    public void History_round_keyed_group() => _history.Sample();

    /// <summary><c>GET /circuit-breakers/events?limit=25</c>, as the dashboard asks every second.</summary>
    [Benchmark]
    public Task Events_limit_25() => _events.GetAllEventsAsync(Request("?limit=25"));

    /// <summary><c>GET /circuit-breakers/events?limit=0</c>: answered 400.</summary>
    [Benchmark]
    public Task Events_bad_query() => _events.GetAllEventsAsync(Request("?limit=0"));

    /// <summary><c>GET /circuit-breakers?order=worst&amp;limit=24</c>, as the dashboard asks every second.</summary>
    [Benchmark]
    public Task Summary_worst_24() => _monitor.GetSummaryAsync(Request("?order=worst&limit=24"));

    /// <summary>One collection of the <c>Breaker</c> meter's observable instruments, as an OpenTelemetry exporter makes.</summary>
    [Benchmark]
    public long OpenTelemetry_collection() => _meter!.Collect();

    /// <summary>One collection with 100,000 keys in one keyed group (reported as one series).</summary>
    [Benchmark]
    public long OpenTelemetry_collection_100000_keys() => _meter!.Collect();

    private static void Configure(CircuitBreakerOptions options)
    {
        options.FailureRatio = BenchmarkSettings.FailureRatio;
        options.MinimumThroughput = BenchmarkSettings.MinimumThroughput;
        options.SamplingDuration = TimeSpan.FromMilliseconds(BenchmarkSettings.SamplingDurationMs);
        options.BreakDuration = TimeSpan.FromMilliseconds(BenchmarkSettings.BreakDurationMs);
        options.MaxKeys = GroupKeys;
    }

    // 20 calls, every fourth failing: a failure rate of 0.25, under the 0.5 that opens the circuit.
    private static void Use(CircuitBreaker breaker)
    {
        for (int call = 0; call < 20; call++)
        {
            try
            {
                breaker.Execute(static failing => failing ? throw new InvalidOperationException("down") : 0, call % 4 == 3);
            }
            catch (InvalidOperationException)
            {
            }
        }
    }

    private CircuitBreaker Add(int i) =>
        _registry.GetOrAdd(string.Create(CultureInfo.InvariantCulture, $"partners:api-{i:D5}.example.com:443"), Configure);

    private void Keys(int count)
    {
        _registry = new CircuitBreakerRegistry(TimeProvider.System);
        CircuitBreakerKeys<int> tenants = _registry.GetOrAddGroup<int>("tenants", Configure);
        for (int key = 0; key < count; key++)
        {
            Use(tenants.GetBreaker(key));
        }

        Listen();
    }

    private void Listen()
    {
        // The breakers keep the system clock, as in production (the cached one: their slow calls are 10 s); the history
        // gets one whose timers never fire.
        _registry.TimeProvider = new TimerlessTime();
        _history = new FailureRateHistory(_registry);
        _events = new EventEndpoints(_registry, _history);
        _monitor = new MonitorEndpoints(_registry);
        _services = new ServiceCollection().BuildServiceProvider();
        _meter = new MeterListening(CircuitBreakerTelemetry.MeterName);

        // The first round creates what the history keeps; the rounds measured are the ones that follow, every 2 s.
        _history.Sample();
    }

    private DefaultHttpContext Request(string query)
    {
        var context = new DefaultHttpContext { RequestServices = _services };
        context.Request.Method = "GET";
        context.Request.Path = "/circuit-breakers/events";
        context.Request.QueryString = new QueryString(query);
        context.Response.Body = Stream.Null;
        return context;
    }

    /// <summary>The system clock whose timers never fire: the benchmark runs the history's rounds itself.</summary>
    private sealed class TimerlessTime : TimeProvider
    {
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) => new Idle();

        private sealed class Idle : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
