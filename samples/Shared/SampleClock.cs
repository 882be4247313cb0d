using System;

namespace Breaker.Samples;

/// <summary>
/// The breakers' clock in the console and Refit samples (each links this file), moved by hand: a 30-second break or a
/// 120-second Retry-After takes no time to watch, and every run prints the same.
/// </summary>
internal sealed class SampleClock : TimeProvider
{
    private DateTimeOffset _now = new(2026, 1, 1, 9, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public override long GetTimestamp() => _now.UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public void Advance(TimeSpan by) => _now += by;
}
