#if !NET8_0_OR_GREATER
using System.Threading.Tasks;

namespace System.Threading;

/// <summary>
/// netstandard2.0: the part of .NET 8's <c>PeriodicTimer</c> on a <see cref="TimeProvider"/> that the coordination loop
/// uses. Each wait is a delay of one period on the clock from when it starts (Microsoft.Bcl.TimeProvider's
/// <c>Delay</c>), so ticks are at least a period apart and a slow round delays the next one instead of being caught up.
/// </summary>
internal sealed class PeriodicTimer(TimeSpan period, TimeProvider time) : IDisposable
{
    private readonly CancellationTokenSource _disposed = new();

    /// <summary>Waits one period; <see langword="false"/> once the timer is disposed.</summary>
    public async ValueTask<bool> WaitForNextTickAsync(CancellationToken cancellationToken = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token);
        try
        {
            await time.Delay(period, linked.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Ends the pending wait (it returns <see langword="false"/>).</summary>
    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }
}
#endif
