using System;

namespace Breaker.Samples.Refit;

/// <summary>The breakers' clock, moved by the sample: a 30-second break and a 120-second Retry-After take no time to watch.</summary>
internal sealed class SampleClock : TimeProvider
{
    private DateTimeOffset _now = new(2026, 1, 1, 9, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public override long GetTimestamp() => _now.UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public void Advance(TimeSpan by) => _now += by;
}
