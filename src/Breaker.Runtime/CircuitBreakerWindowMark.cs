using Breaker.Windows;

namespace Breaker;

/// <summary>
/// Where a monitor left off reading one breaker's window with <see cref="CircuitBreaker.TryReadWindow"/>: keep one per
/// breaker watched, starting from <see langword="default"/> (nothing read yet). Its contents are the breaker's business.
/// </summary>
public struct CircuitBreakerWindowMark
{
    /// <summary>Whether the window was read into this mark at least once.</summary>
    internal bool Taken;

    /// <summary>The state word's generation plus the window replacements when read: a change of state or of window moves it.</summary>
    internal long Changes;

    /// <summary>The window's stamp when read.</summary>
    internal WindowStamp Stamp;

    /// <summary>The breaker's timestamp at which the oldest call counted then ages out (<see cref="long.MaxValue"/>: never).</summary>
    internal long AgesAt;
}
