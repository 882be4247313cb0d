using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using Breaker.AspNetCore.Contracts;

namespace Breaker.AspNetCore.History;

/// <summary>
/// The monitor's memory of each breaker's window failure rate: sampled every <see cref="Interval"/> on the registry's clock
/// for the last <see cref="Samples"/> intervals (ten minutes), so that a dashboard opened now, or reloaded, shows the last
/// minutes rather than starting empty. Sampling only reads the breakers (it costs their calls nothing) and runs on a timer
/// the application's shutdown stops. Memory is bounded: 300 samples per breaker of the registry, dropped with the breaker.
/// </summary>
internal sealed class FailureRateHistory : IDisposable
{
    public const int Samples = 300;
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private readonly CircuitBreakerRegistry _registry;
    private readonly ConcurrentDictionary<CircuitBreaker, Series> _series = new();
    private readonly ITimer _timer;
    private readonly object _sampleLock = new();
    private long _round;

    public FailureRateHistory(CircuitBreakerRegistry registry)
    {
        _registry = registry;
        _timer = registry.TimeProvider.CreateTimer(static state => ((FailureRateHistory)state!).Sample(), this, Interval, Interval);
    }

    /// <summary>The samples kept for <paramref name="breaker"/>, oldest first (none before its first sample).</summary>
    public IReadOnlyList<FailureRateSample> Read(CircuitBreaker breaker) =>
        _series.TryGetValue(breaker, out Series? series) ? series.Read(_registry.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds()) : [];

    public void Dispose() => _timer.Dispose();

    /// <summary>One round: every breaker's rate now; breakers the registry no longer holds are forgotten.</summary>
    internal void Sample()
    {
        // A round that overruns the next tick (a huge registry, a stalled machine) is not run twice at once.
        if (!Monitor.TryEnter(_sampleLock))
        {
            return;
        }

        try
        {
            long round = ++_round;
            long now = _registry.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
            foreach (CircuitBreaker breaker in _registry)
            {
                Series series = _series.GetOrAdd(breaker, static _ => new Series());
                series.Add(now, breaker.GetMetrics().FailureRate, round);
            }

            foreach (KeyValuePair<CircuitBreaker, Series> pair in _series)
            {
                if (pair.Value.Round != round)
                {
                    _series.TryRemove(pair);
                }
            }
        }
        catch (Exception)
        {
            // A timer callback that throws would take the process down; a missed sample costs a gap in a plot.
        }
        finally
        {
            Monitor.Exit(_sampleLock);
        }
    }

    /// <summary>One breaker's ring of samples; written by the sampling round, read by requests.</summary>
    private sealed class Series
    {
        private readonly long[] _times = new long[Samples];
        private readonly float[] _rates = new float[Samples];
        private int _next;
        private int _count;

        /// <summary>The round that last sampled this breaker.</summary>
        public long Round { get; private set; }

        public void Add(long time, double rate, long round)
        {
            lock (_rates)
            {
                _times[_next] = time;
                _rates[_next] = (float)rate;
                _next = (_next + 1) % Samples;
                _count = Math.Min(_count + 1, Samples);
                Round = round;
            }
        }

        public FailureRateSample[] Read(long now)
        {
            lock (_rates)
            {
                var samples = new FailureRateSample[_count];
                for (int i = 0; i < _count; i++)
                {
                    int index = (_next - _count + i + Samples) % Samples;
                    samples[i] = new FailureRateSample(Math.Max(0, now - _times[index]), Math.Round(_rates[index], 4));
                }

                return samples;
            }
        }
    }
}
