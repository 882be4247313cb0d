using System;
using System.Threading;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.AspNetCore.Tests.Infrastructure;

/// <summary>
/// A fake clock that counts how often it is read. A breaker reads its clock for every status, metrics or ongoing rejections
/// it reports, so the count says how many breakers a request or a sampling round read.
/// </summary>
internal sealed class ReadCountingClock(FakeTimeProvider inner) : TimeProvider
{
    private long _reads;

    public long Reads => Interlocked.Read(ref _reads);

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override DateTimeOffset GetUtcNow()
    {
        Interlocked.Increment(ref _reads);
        return inner.GetUtcNow();
    }

    public override long GetTimestamp()
    {
        Interlocked.Increment(ref _reads);
        return inner.GetTimestamp();
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        inner.CreateTimer(callback, state, dueTime, period);
}
