using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Breaker.DependencyInjection;

/// <summary>Where the coordination's Redis connection comes from: given, registered in the container, or made from a connection string (then owned).</summary>
internal sealed class RedisConnectionSource
{
    private readonly ConfigurationOptions? _configuration;
    private readonly IConnectionMultiplexer? _connection;

    private RedisConnectionSource(ConfigurationOptions? configuration, IConnectionMultiplexer? connection)
    {
        _configuration = configuration;
        _connection = connection;
    }

    /// <summary>Whether the connection is made here, and so closed here when the host stops.</summary>
    public bool Owned => _configuration is not null;

    /// <summary>Parses the connection string at once, so a malformed one fails at registration rather than in the background.</summary>
    public static RedisConnectionSource FromConfiguration(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);

        // Not failing on a first connect lets the application start, and run on local breakers, while Redis is away.
        options.AbortOnConnectFail = false;
        return new(options, null);
    }

    public static RedisConnectionSource FromConnection(IConnectionMultiplexer? connection) => new(null, connection);

    /// <summary>
    /// The connection: the given or registered one, or a new one. Cancelling stops waiting for a new connection (which is
    /// then closed as soon as it is made), so a host that stops while Redis is away does not wait for the connect timeout.
    /// </summary>
    /// <exception cref="InvalidOperationException">No connection was given and none is registered.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<IConnectionMultiplexer> ConnectAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_configuration is null)
        {
            return _connection ?? services.GetRequiredService<IConnectionMultiplexer>();
        }

        Task<ConnectionMultiplexer> connecting = ConnectionMultiplexer.ConnectAsync(_configuration);
        try
        {
            return await connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Nobody will use the connection that is still being made: close it when it is, and observe a failure.
            _ = connecting.ContinueWith(
                static t =>
                {
                    if (t.IsCompletedSuccessfully)
                    {
                        t.Result.Dispose();
                    }

                    _ = t.Exception;
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            throw;
        }
    }
}
