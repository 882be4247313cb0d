using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Breaker.Outage;

/// <summary>One request of the load: when it was meant to be sent, how long after that its answer came, and what it was.</summary>
public readonly record struct Sample(double Intended, double LatencyMs, CallOutcome Outcome);

/// <summary>
/// Open-loop load: request i is due at i / rate seconds, whatever happened to the earlier ones, and its latency is measured
/// from that due time. A front (or a load generator) that stalls cannot hide it by sending later: the requests it was late
/// for are sent at once, and their wait counts (no coordinated omission).
/// </summary>
public sealed class LoadGenerator : IDisposable
{
    private static readonly TimeSpan AnswerLimit = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30) })
    {
        Timeout = AnswerLimit,
    };

    /// <summary>Sends <paramref name="count"/> requests one after another, to compile every path before the clock starts.</summary>
    public async Task WarmUpAsync(IReadOnlyList<Uri> fronts, int count)
    {
        for (int i = 0; i < count; i++)
        {
            using HttpResponseMessage response = await _http.GetAsync(new Uri(fronts[i % fronts.Count], "api"));
        }
    }

    /// <summary>Runs the load for <paramref name="seconds"/> on <paramref name="clock"/>, round-robin over <paramref name="fronts"/>.</summary>
    public async Task<Sample[]> RunAsync(IReadOnlyList<Uri> fronts, int rate, double seconds, RunClock clock)
    {
        int count = (int)(rate * seconds);
        var samples = new Sample[count];
        var pending = new Task[count];
        Uri[] uris = fronts.Select(f => new Uri(f, "api")).ToArray();

        // A thread of its own, not the thread pool: the pool is what the arms may starve, and the schedule must not depend on it.
        var scheduler = new Thread(() =>
        {
            for (int i = 0; i < count; i++)
            {
                double due = (double)i / rate;
                while (true)
                {
                    double ahead = due - clock.Seconds;
                    if (ahead <= 0)
                    {
                        break;
                    }

                    if (ahead > 0.002)
                    {
                        Thread.Sleep(1);
                    }
                    else
                    {
                        Thread.SpinWait(50);
                    }
                }

                pending[i] = SendAsync(uris[i % uris.Length], i, due, samples, clock);
            }
        })
        { IsBackground = true, Name = "Open-loop scheduler" };
        scheduler.Start();
        await Task.Run(scheduler.Join);
        await Task.WhenAll(pending);
        return samples;
    }

    public void Dispose() => _http.Dispose();

    private async Task SendAsync(Uri uri, int index, double due, Sample[] samples, RunClock clock)
    {
        CallOutcome outcome;
        try
        {
            using HttpResponseMessage response = await _http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead);
            outcome = response.Headers.TryGetValues(Front.OutcomeHeader, out IEnumerable<string>? values)
                ? Names.Parse<CallOutcome>(values.First())
                : CallOutcome.NoAnswer;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            outcome = CallOutcome.NoAnswer;
        }

        samples[index] = new Sample(due, (clock.Seconds - due) * 1000, outcome);
    }
}
