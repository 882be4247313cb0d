using System;
using System.Threading;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Runtime.Tests;

/// <summary>
/// A fake clock that can hold one thread inside its next timestamp read: a test stops a call at the point where it reads
/// the clock (a breaker reads it after the state word, and under its lock in <see cref="CircuitBreaker.Reconfigure"/>), does
/// something else, and lets it go on. Waits are ceilings that only bound a hang; nothing is timed.
/// </summary>
internal sealed class PausingClock : FakeTimeProvider, IDisposable
{
    public static readonly TimeSpan Ceiling = TimeSpan.FromSeconds(60);

    private readonly ManualResetEventSlim _paused = new();
    private readonly ManualResetEventSlim _resume = new();
    private int _thread = -1;

    /// <summary>The calling thread's next timestamp read waits until <see cref="Resume"/>.</summary>
    public void PauseNextReadOnThisThread() => Volatile.Write(ref _thread, Environment.CurrentManagedThreadId);

    /// <summary>Waits until the thread armed by <see cref="PauseNextReadOnThisThread"/> is held in its read.</summary>
    public void WaitUntilPaused() => Assert.True(_paused.Wait(Ceiling), "the paused thread never read the clock");

    public void Resume() => _resume.Set();

    public override long GetTimestamp()
    {
        if (Interlocked.CompareExchange(ref _thread, -1, Environment.CurrentManagedThreadId) == Environment.CurrentManagedThreadId)
        {
            _paused.Set();
            Assert.True(_resume.Wait(Ceiling), "the paused thread was never resumed");
        }

        return base.GetTimestamp();
    }

    public void Dispose()
    {
        _resume.Set();
        _paused.Dispose();
        _resume.Dispose();
    }
}
