using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Threading;
using Breaker.AspNetCore.Contracts;

namespace Breaker.AspNetCore.History;

/// <summary>
/// The monitor's memory of each breaker's window failure rate: sampled every <see cref="Interval"/> on the registry's clock
/// for the last <see cref="Samples"/> intervals (ten minutes), so that a dashboard opened now, or reloaded, shows the last
/// minutes rather than starting empty. Sampling only reads the breakers (it costs their calls nothing) and runs on a timer
/// the application's shutdown stops.
/// </summary>
/// <remarks>
/// A round costs what changed, not what exists: the rounds' times are kept once for all, and a breaker on its own is read
/// again only when something happened to it or a call of its time window ages out (<see cref="CircuitBreaker.TryReadWindow"/>
/// answers from a mark kept per breaker, reading a few fields), and then only its window's calls and failures; its samples
/// are stored only once its rate has moved, and until then the one rate it has held stands for every round. A keyed group
/// is one series however many keys it holds: the failure rate of all its breakers' windows together, read in full each
/// round (nothing is kept per key), which each key's history answers with. Memory: at most 300 rates for each breaker on
/// its own whose rate moved, and for each group; dropped with the breaker or the group.
/// </remarks>
internal sealed class FailureRateHistory : IDisposable
{
    public const int Samples = 300;
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private readonly CircuitBreakerRegistry _registry;
    private readonly ConcurrentDictionary<CircuitBreaker, OwnSeries> _breakers = new();
    private readonly ConcurrentDictionary<string, GroupSeries> _groups = new(StringComparer.Ordinal);
    private readonly ITimer _timer;
    private readonly object _sampleLock = new();

    // The series of the breakers on their own, as the registry listed them when it last changed: a round walks this list
    // rather than the registry and a dictionary (reading a breaker costs less than finding it). The registry announces each
    // breaker it adds or removes; _listedAfter is the count of announcements the list was made after (-1: never made), and
    // _listedGroups the count of groups then (a new group's breakers are listed in its series, not here).
    private readonly List<OwnSeries> _listed = [];
    private int _announcements;
    private int _listedAfter = -1;
    private int _listedGroups;

    // Each round's time, at its number modulo Samples; written and read under the lock, with the number of the last round.
    private readonly long[] _times = new long[Samples];
    private long _round;

    public FailureRateHistory(CircuitBreakerRegistry registry)
    {
        _registry = registry;
        registry.BreakerAdded += OnBreakerAddedOrRemoved;
        registry.BreakerRemoved += OnBreakerAddedOrRemoved;
        _timer = registry.TimeProvider.CreateTimer(static state => ((FailureRateHistory)state!).Sample(), this, Interval, Interval);
    }

    /// <summary>
    /// The samples kept for <paramref name="breaker"/>, oldest first (none before its first sample); for a key of a keyed
    /// group, the group's, and <paramref name="group"/> names it.
    /// </summary>
    public IReadOnlyList<FailureRateSample> Read(CircuitBreaker breaker, out string? group)
    {
        group = null;
        Series? series;
        if (breaker.Group is { } name && _groups.TryGetValue(name, out GroupSeries? ofGroup) && !_breakers.ContainsKey(breaker))
        {
            group = name;
            series = ofGroup;
        }
        else if (_breakers.TryGetValue(breaker, out OwnSeries? own))
        {
            series = own;
        }
        else
        {
            return [];
        }

        long now = _registry.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        lock (_times)
        {
            return series.Read(_round, _times, now);
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        _registry.BreakerAdded -= OnBreakerAddedOrRemoved;
        _registry.BreakerRemoved -= OnBreakerAddedOrRemoved;
    }

    /// <summary>
    /// One round: each breaker on its own whose rate may have moved, and each keyed group's breakers together; breakers and
    /// groups the registry no longer holds are forgotten.
    /// </summary>
    internal void Sample()
    {
        // A round that overruns the next tick (a huge registry, a stalled machine) is not run twice at once.
        if (!Monitor.TryEnter(_sampleLock))
        {
            return;
        }

        try
        {
            long round = StartRound();
            IReadOnlyCollection<CircuitBreakerGroup> groups = _registry.Groups;
            foreach (CircuitBreakerGroup group in groups)
            {
                _groups.GetOrAdd(group.Name, static (_, first) => new GroupSeries(first), round).Start(round);
            }

            // Read before the registry is walked: a breaker added during the walk is announced after, and listed next round.
            int announcements = Volatile.Read(ref _announcements);
            if (announcements != _listedAfter || groups.Count != _listedGroups)
            {
                List(round);
                _listedAfter = announcements;
                _listedGroups = groups.Count;
            }

            foreach (OwnSeries series in _listed)
            {
                series.Sample(round);
            }

            if (groups.Count > 0)
            {
                // A key's breaker (or a group's shared one) counts in its group's series only: nothing is kept per key.
                foreach (CircuitBreaker breaker in _registry)
                {
                    if (IsInGroup(breaker, round, out GroupSeries? group))
                    {
                        group.Add(breaker);
                    }
                }
            }

            foreach (KeyValuePair<string, GroupSeries> pair in _groups)
            {
                if (pair.Value.Round == round)
                {
                    pair.Value.Finish(round);
                }
                else
                {
                    _groups.TryRemove(pair);
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

    /// <summary>
    /// Lists the series of the breakers on their own that the registry holds now (made for those new to it), and forgets the
    /// series of those it no longer holds.
    /// </summary>
    private void List(long round)
    {
        _listed.Clear();
        foreach (CircuitBreaker breaker in _registry)
        {
            if (!IsInGroup(breaker, round, out _))
            {
                OwnSeries series = _breakers.GetOrAdd(breaker, static (added, first) => new OwnSeries(added, first), round);
                series.Round = round;
                _listed.Add(series);
            }
        }

        // As many series as listed: each is the series of a breaker the registry holds, and none needs forgetting.
        if (_breakers.Count != _listed.Count)
        {
            foreach (KeyValuePair<CircuitBreaker, OwnSeries> pair in _breakers)
            {
                if (pair.Value.Round != round)
                {
                    _breakers.TryRemove(pair);
                }
            }
        }
    }

    /// <summary>Whether <paramref name="breaker"/> is a key (or the shared breaker) of a group present in <paramref name="round"/>.</summary>
    private bool IsInGroup(CircuitBreaker breaker, long round, [NotNullWhen(true)] out GroupSeries? group)
    {
        group = null;
        return breaker.Group is { } name && _groups.TryGetValue(name, out group) && group.Round == round;
    }

    private void OnBreakerAddedOrRemoved(object? sender, CircuitBreaker breaker) => Interlocked.Increment(ref _announcements);

    private long StartRound()
    {
        long now = _registry.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        lock (_times)
        {
            long round = _round + 1;
            _times[round % Samples] = now;
            _round = round;
            return round;
        }
    }

    /// <summary>
    /// One series of rates by round number: the rate it holds since its last change, and the rates of the rounds up to that
    /// change, in a ring made at the first change (a rate that never moved needs none). Written by the sampling round, read
    /// by requests, under its own lock.
    /// </summary>
    private abstract class Series(long first)
    {
        private readonly Lock _lock = new();
        private readonly long _first = first;
        private float[]? _rates;
        private long _written;
        private float _rate;

        /// <summary>The round that last listed this breaker, or saw this group.</summary>
        public long Round { get; set; }

        /// <summary>The failure rate of a window of <paramref name="calls"/> of which <paramref name="failures"/> failed, as stored.</summary>
        protected static float Rate(long calls, long failures) => calls == 0 ? 0f : (float)((double)failures / calls);

        /// <summary>The rate of <paramref name="round"/>: stored only when it differs from the one held.</summary>
        protected void Record(float rate, long round)
        {
            if (rate == _rate)
            {
                return;
            }

            lock (_lock)
            {
                _rates ??= new float[Samples];

                // The rounds since the last change held the rate then.
                for (long r = Math.Max(Math.Max(_written + 1, _first), round - Samples + 1); r < round; r++)
                {
                    _rates[r % Samples] = _rate;
                }

                _rates[round % Samples] = rate;
                _written = round;
                _rate = rate;
            }
        }

        /// <summary>The samples of the rounds kept, up to <paramref name="last"/>, oldest first; the caller holds the times' lock.</summary>
        public FailureRateSample[] Read(long last, long[] times, long now)
        {
            lock (_lock)
            {
                long from = Math.Max(_first, last - Samples + 1);
                var samples = new FailureRateSample[Math.Max(0, last - from + 1)];
                for (long r = from; r <= last; r++)
                {
                    float rate = _rates is not null && r <= _written ? _rates[r % Samples] : _rate;
                    samples[r - from] = new FailureRateSample(Math.Max(0, now - times[r % Samples]), Math.Round(rate, 4));
                }

                return samples;
            }
        }
    }

    /// <summary>The series of a breaker on its own, with where the last read of its window left off.</summary>
    private sealed class OwnSeries(CircuitBreaker breaker, long first) : Series(first)
    {
        private CircuitBreakerWindowMark _mark;

        /// <summary>Reads the breaker again only if something happened to it, or a call of its window has aged out since.</summary>
        public void Sample(long round)
        {
            if (breaker.TryReadWindow(ref _mark, out long calls, out long failures))
            {
                Record(Rate(calls, failures), round);
            }
        }
    }

    /// <summary>A keyed group's series: the failure rate of all its breakers' windows together, summed during a round.</summary>
    private sealed class GroupSeries(long first) : Series(first)
    {
        private long _calls;
        private long _failures;

        /// <summary>Marks the group as present in <paramref name="round"/> and starts its sums.</summary>
        public void Start(long round)
        {
            Round = round;
            _calls = 0;
            _failures = 0;
        }

        /// <summary>Adds the window of one of the group's breakers (read in full: no mark is kept per key).</summary>
        public void Add(CircuitBreaker breaker)
        {
            CircuitBreakerWindowMark none = default;
            breaker.TryReadWindow(ref none, out long calls, out long failures);
            _calls += calls;
            _failures += failures;
        }

        public void Finish(long round) => Record(Rate(_calls, _failures), round);
    }
}
