using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Http.Tests.Stress;

/// <summary>
/// Many concurrent requests through one <see cref="CircuitBreakerHandler"/> against a flaky server on 127.0.0.1, bounded in
/// count and time. The invariants are counts, never timings: no response leaks, no outcome is lost, no half-open period
/// lets more probes reach the server than <see cref="CircuitBreakerOptions.SuccessThreshold"/>.
/// </summary>
public sealed class HandlerStressTests
{
    private const int Workers = 16;
    private const int MaxRequestsPerWorker = 1_500;
    private static readonly TimeSpan RunFor = TimeSpan.FromSeconds(3);

    private readonly FakeTimeProvider _time = new();
    private readonly ContentCounter _contents = new();

    [Fact]
    public async Task Concurrent_requests_leak_no_response_and_lose_no_count()
    {
        await using FlakyServer server = await FlakyServer.StartAsync();
        server.TeapotRate = 0.03;
        var breaker = new CircuitBreaker("stress", new CircuitBreakerOptions
        {
            MinimumThroughput = 20,
            SlidingWindowSize = 40,
            FailureRatio = 0.5,
            BreakDuration = TimeSpan.FromSeconds(1),
            SuccessThreshold = 3,
        }, _time);
        using HttpClient client = Client(server, breaker, Options());
        var outcomes = new Outcomes();
        using var stop = new CancellationTokenSource(RunFor);

        // The server turns bad and good in turns while the clock moves, so the breaker keeps opening, probing and closing.
        var weather = Task.Run(async () =>
        {
            for (int turn = 0; !stop.IsCancellationRequested; turn++)
            {
                server.FailureRate = turn % 4 < 2 ? 0.8 : 0.05;
                _time.Advance(TimeSpan.FromMilliseconds(400));
                await Task.Delay(25);
            }
        });
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(() => HammerAsync(client, outcomes, stop.Token))));
        await weather;

        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        Assert.True(metrics.CircuitOpens > 0 && metrics.CircuitCloses > 0, $"the run never cycled the breaker: {metrics}");
        Assert.Equal(server.Ok, metrics.SuccessfulCalls);
        Assert.Equal(server.Failed, metrics.FailedCalls);
        Assert.Equal(server.Teapots, metrics.IgnoredCalls);
        Assert.Equal(server.Teapots, outcomes.ClassifierFaults);
        Assert.Equal(outcomes.Fallbacks, metrics.RejectedCalls);
        Assert.Equal(outcomes.Fallbacks, metrics.FallbackCalls);
        Assert.Equal(server.Answered + outcomes.Fallbacks, metrics.TotalCalls);
        Assert.Equal(server.Answered + outcomes.Fallbacks, _contents.Created);
        Assert.Equal(_contents.Created, _contents.Disposed);
    }

    [Fact]
    public async Task No_half_open_period_lets_more_probes_reach_the_server_than_the_success_threshold()
    {
        const int SuccessThreshold = 3;
        const int Periods = 25;
        await using FlakyServer server = await FlakyServer.StartAsync();
        server.FailureRate = 1;
        server.Delay = TimeSpan.FromMilliseconds(10);
        var breaker = new CircuitBreaker("probes", new CircuitBreakerOptions
        {
            ConsecutiveFailureThreshold = 1,
            BreakDuration = TimeSpan.FromSeconds(1),
            SuccessThreshold = SuccessThreshold,
        }, _time);
        using HttpClient client = Client(server, breaker, Options());
        var outcomes = new Outcomes();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Task[] workers = Enumerable.Range(0, Workers).Select(_ => Task.Run(() => HammerAsync(client, outcomes, stop.Token))).ToArray();

        // Every request admitted while closed must be over before a period is watched: from then on, each request the
        // server holds is a probe of the current half-open period (each fails, so each period ends when its first probe does).
        await WaitUntilAsync(() => breaker.GetMetrics().CircuitOpens == 1 && server.InFlight == 0);
        server.ResetMaxInFlight();
        var probesPerPeriod = new List<int>();
        for (int period = 0; period < Periods; period++)
        {
            int before = server.Answered;
            long opens = breaker.GetMetrics().CircuitOpens;
            _time.Advance(TimeSpan.FromSeconds(1));
            await WaitUntilAsync(() => breaker.GetMetrics().CircuitOpens > opens && server.InFlight == 0);
            probesPerPeriod.Add(server.Answered - before);
        }

        await stop.CancelAsync();
        await Task.WhenAll(workers);
        Assert.InRange(server.MaxInFlight, 1, SuccessThreshold);
        Assert.All(probesPerPeriod, probes => Assert.InRange(probes, 1, SuccessThreshold));
        Assert.Equal(_contents.Created, _contents.Disposed);
    }

    private static async Task HammerAsync(HttpClient client, Outcomes outcomes, CancellationToken stop)
    {
        for (int i = 0; i < MaxRequestsPerWorker && !stop.IsCancellationRequested; i++)
        {
            try
            {
                using HttpResponseMessage response = await client.GetAsync("flaky", CancellationToken.None);
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    outcomes.Fallback();

                    // A rejection costs nothing; pause so the workers do not spin both cores while the circuit is open.
                    await Task.Delay(1, CancellationToken.None);
                }
            }
            catch (InvalidOperationException ex) when (ex.InnerException is InvalidDataException)
            {
                outcomes.ClassifierFault();
            }
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(15), "the breaker or the server never reached the awaited state");
            await Task.Delay(1);
        }
    }

    // The classifier throws for a 418, so the handler's path for a faulty classifier runs under load too.
    private HttpCircuitBreakerOptions Options()
    {
        var options = new HttpCircuitBreakerOptions
        {
            IsFailureResponse = static response => (int)response.StatusCode == 418
                ? throw new InvalidDataException("the classifier cannot judge a teapot")
                : CircuitBreakerHandler.IsFailureStatus(response),
        };
        options.SetFallbackResponse(HttpStatusCode.ServiceUnavailable, _ => _contents.Wrap(new StringContent("fallback")));
        return options;
    }

    private HttpClient Client(FlakyServer server, CircuitBreaker breaker, HttpCircuitBreakerOptions options) =>
        new(new CircuitBreakerHandler(breaker, options) { InnerHandler = new CountingHandler(_contents) })
        {
            BaseAddress = server.BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };

    private sealed class Outcomes
    {
        private int _fallbacks;
        private int _classifierFaults;

        public int Fallbacks => Volatile.Read(ref _fallbacks);

        public int ClassifierFaults => Volatile.Read(ref _classifierFaults);

        public void Fallback() => Interlocked.Increment(ref _fallbacks);

        public void ClassifierFault() => Interlocked.Increment(ref _classifierFaults);
    }
}
