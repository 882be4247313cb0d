using System;
using System.Threading;
using Breaker.Windows;

namespace Breaker;

// Observation: reads for a monitor that watches thousands of breakers many times a minute. Each is a handful of volatile
// reads and allocates nothing, where GetMetrics() adds lifetime totals and percentiles (a read of the duration bins) and
// GetRecentEvents() builds a record per event: a monitor ranks and samples every breaker with these, and builds the full
// answers only for the few it shows.
public sealed partial class CircuitBreaker
{
    /// <summary>
    /// A number that grows whenever what <see cref="GetStatus"/> reads may have changed other than by time passing: an
    /// outcome recorded, the window emptied or replaced, a change of state made. Compare it with an earlier read to skip a
    /// breaker nothing happened to (only a time-based window's ageing, and a break running out, change it no further).
    /// Allocation-free; a pure read.
    /// </summary>
    public long Changes
    {
        get
        {
            // Each part only grows: outcomes recorded in every window this breaker had, the state word's generation (one more
            // per change of state, Closed to Closed included, which empties the window), and the window replacements.
            long recorded = Volatile.Read(ref _retiredRecords) + (Volatile.Read(ref _retiredWindow)?.Recorded ?? 0) + _window.Recorded;
            return recorded + ((uint)Volatile.Read(ref _stateWord) >> StateBits) + Volatile.Read(ref _windowReplacements);
        }
    }

    /// <summary>
    /// The state and the current window's counts, with how close they are to the thresholds: what a monitor ranks breakers
    /// by, without the lifetime totals and duration percentiles of <see cref="GetMetrics"/>. Allocation-free; a pure read.
    /// </summary>
    public CircuitBreakerStatus GetStatus()
    {
        long now = Now();
        CircuitState state = EffectiveState(Volatile.Read(ref _stateWord), now, out _);
        WindowCounts window = _window.GetCounts(now);
        CircuitBreakerOptions options = _settings.Options;
        return new CircuitBreakerStatus(state, window.Calls, window.Failures, window.SlowCalls, options.FailureRatio, options.SlowCallRatio);
    }

    /// <summary>
    /// The current window's calls and failures, for a monitor that samples many breakers' failure rates round after round:
    /// <see langword="false"/>, having read a few fields and not the window's counts nor the clock, when they cannot have
    /// moved since <paramref name="mark"/> (no outcome recorded, no change of state or of window, no call of a time-based
    /// window aged out since); otherwise they are read, <paramref name="mark"/> moves on and the answer is
    /// <see langword="true"/>. Allocation-free; a pure read.
    /// </summary>
    /// <param name="mark">Where the last read of this breaker left off; <see langword="default"/> the first time (the window is read).</param>
    /// <param name="calls">The window's calls, when read; 0 otherwise.</param>
    /// <param name="failures">The window's failed calls, when read; 0 otherwise.</param>
    public bool TryReadWindow(ref CircuitBreakerWindowMark mark, out long calls, out long failures)
    {
        // What moves the mark is read before the counts: a record or a change the counts miss moves the next mark, so it is
        // read then. The state's generation and the window replacements only grow: their sum moves when either does.
        long changes = ((uint)Volatile.Read(ref _stateWord) >> StateBits) + Volatile.Read(ref _windowReplacements);
        SlidingWindow window = _window;
        WindowStamp stamp = window.Stamp;
        bool unchanged = mark.Taken && changes == mark.Changes && stamp == mark.Stamp;

        // Nothing recorded: only ageing can move the counts, and a window nothing can age out of is not even timed. A clock
        // gone back ages nothing; one gone far ahead ages everything, read once more.
        long now = unchanged && mark.AgesAt == long.MaxValue ? long.MinValue : Now();
        if (unchanged && now < mark.AgesAt)
        {
            calls = 0;
            failures = 0;
            return false;
        }

        WindowCounts counts = window.GetCounts(now, out long agesAt);
        mark = new CircuitBreakerWindowMark { Taken = true, Changes = changes, Stamp = stamp, AgesAt = agesAt };
        calls = counts.Calls;
        failures = counts.Failures;
        return true;
    }

    /// <summary>
    /// How many events <see cref="GetRecentEvents"/> would return now, and when the latest of them happened
    /// (<paramref name="latest"/> is <see langword="default"/> when there is none), without building them: a monitor merging
    /// thousands of breakers' events reads out only those of the breakers whose events can make its page. Allocation-free;
    /// a pure read.
    /// </summary>
    /// <param name="latest">The time of the latest event (the ongoing rejections, when calls are being rejected, are now).</param>
    public int CountRecentEvents(out DateTimeOffset latest)
    {
        EventRing? history = _events;
        long latestTicks = 0;
        int count = history?.Count(out latestTicks) ?? 0;
        if (RejectedCalls() - (history?.RejectionsAtPeriodStart ?? 0) > 0)
        {
            // The ongoing burst GetRecentEvents reports first, timed now.
            count++;
            latestTicks = Math.Max(latestTicks, _timeProvider.GetUtcNow().UtcTicks);
        }

        latest = count == 0 ? default : new DateTimeOffset(latestTicks, TimeSpan.Zero);
        return count;
    }
}
