#if !NET8_0_OR_GREATER
using System;
using System.Threading;
using System.Threading.Tasks;

/// <summary>
/// netstandard2.0: the task members of .NET 6 and 8 the fleet code awaits with, through Microsoft.Bcl.TimeProvider's
/// <see cref="TimeProviderTaskExtensions"/> (waits bound real I/O, so on the system clock) and the same call shapes.
/// </summary>
internal static class TaskShims
{
    extension(Task task)
    {
        public bool IsCompletedSuccessfully => task.Status == TaskStatus.RanToCompletion;

        public Task WaitAsync(CancellationToken cancellationToken) =>
            task.WaitAsync(Timeout.InfiniteTimeSpan, TimeProvider.System, cancellationToken);

        public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
            task.WaitAsync(timeout, TimeProvider.System, cancellationToken);
    }

    extension<TResult>(Task<TResult> task)
    {
        public Task<TResult> WaitAsync(CancellationToken cancellationToken) =>
            task.WaitAsync(Timeout.InfiniteTimeSpan, TimeProvider.System, cancellationToken);
    }

    extension(CancellationTokenSource source)
    {
        /// <summary>Cancels on the calling thread (.NET 8's <c>CancelAsync</c> runs the callbacks elsewhere).</summary>
        public Task CancelAsync()
        {
            source.Cancel();
            return Task.CompletedTask;
        }
    }
}
#endif
