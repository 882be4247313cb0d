using System;

namespace Breaker.Samples.Console.Infrastructure;

/// <summary>A clock the demo moves by hand, so a 30-second break takes no time to watch and every run is the same.</summary>
internal sealed class DemoClock : TimeProvider
{
    private DateTimeOffset _now = new(2026, 1, 1, 9, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public override long GetTimestamp() => _now.UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public void Advance(TimeSpan by) => _now += by;
}
