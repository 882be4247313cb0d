using System;
using System.Threading;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace Breaker.Fleet;

/// <summary>The coordinator's connection to Redis, and the one rule for waiting on it: never longer than the operation timeout.</summary>
internal sealed class RedisExchange
{
    private readonly TimeSpan _timeout;

    public RedisExchange(IConnectionMultiplexer connection, TimeSpan timeout)
    {
        Connection = connection;
        _timeout = timeout;
    }

    public IConnectionMultiplexer Connection { get; }

    /// <summary>Waits for Redis work within the operation timeout (real time: it bounds I/O, whatever clock the breakers run on).</summary>
    public async Task WaitAsync(Task work, CancellationToken cancellationToken)
    {
        try
        {
            await work.WaitAsync(_timeout, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // The abandoned work may fail later; observe it so it is not reported as unobserved.
            _ = work.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }
    }

    public async Task<T> WaitAsync<T>(Task<T> work, CancellationToken cancellationToken)
    {
        await WaitAsync((Task)work, cancellationToken).ConfigureAwait(false);
        return await work.ConfigureAwait(false);
    }
}
