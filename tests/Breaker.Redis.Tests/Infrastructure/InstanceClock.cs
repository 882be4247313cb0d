using System;
using System.Threading;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Redis.Tests.Infrastructure;

/// <summary>
/// One instance's clock in a fleet whose time a test moves: it advances with the shared <see cref="FakeTimeProvider"/>,
/// but its wall clock and its monotonic timestamps are off by <see cref="Offset"/> (an instance whose clock runs ahead or
/// behind, on a machine whose timestamps started elsewhere). Timers run on the shared clock.
/// </summary>
public sealed class InstanceClock(FakeTimeProvider shared, TimeSpan offset) : TimeProvider
{
    public TimeSpan Offset => offset;

    public override long TimestampFrequency => shared.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => shared.LocalTimeZone;

    public override DateTimeOffset GetUtcNow() => shared.GetUtcNow() + offset;

    public override long GetTimestamp() => shared.GetTimestamp() + (long)(offset.TotalSeconds * shared.TimestampFrequency);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        shared.CreateTimer(callback, state, dueTime, period);
}
