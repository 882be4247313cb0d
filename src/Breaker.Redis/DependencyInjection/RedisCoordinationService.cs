using System;
using System.Threading;
using System.Threading.Tasks;
using Breaker.Logging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Breaker.DependencyInjection;

/// <summary>
/// Starts fleet coordination with the host and stops it with the host. Connecting happens in the background, so the host
/// never waits for Redis; until the coordinator runs, the breakers act on their own.
/// </summary>
internal sealed class RedisCoordinationService(
    IServiceProvider services,
    CircuitBreakerRegistry registry,
    RedisConnectionSource source,
    IOptions<RedisCoordinationOptions> options,
    ILogger<RedisFleetCoordinator> logger) : IHostedService
{
    private readonly CancellationTokenSource _stopping = new();
    private Task<Running?>? _starting;
    private volatile RedisFleetCoordinator? _coordinator;
    private volatile bool _failed;

    /// <summary>The running coordinator; <see langword="null"/> until it started (or when it could not).</summary>
    public RedisFleetCoordinator? Coordinator => _coordinator;

    /// <summary>Whether starting failed (the log says why): the breakers act on their own until the host restarts.</summary>
    public bool Failed => _failed;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        RedisCoordinationOptions settings = options.Value;
        _starting = Task.Run(() => StartCoordinatorAsync(settings), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_starting is null)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        Running? running = await _starting.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (running is not null)
        {
            await running.Coordinator.StopAsync(cancellationToken).ConfigureAwait(false);
            if (source.Owned)
            {
                await running.Connection.DisposeAsync().ConfigureAwait(false);
            }
        }

        _stopping.Dispose();
    }

    /// <summary>Connects and starts the coordinator; never throws (<see langword="null"/>: not running, the breakers act on their own).</summary>
    private async Task<Running?> StartCoordinatorAsync(RedisCoordinationOptions settings)
    {
        IConnectionMultiplexer? connection = null;
        try
        {
            connection = await source.ConnectAsync(services, _stopping.Token).ConfigureAwait(false);
            var coordinator = new RedisFleetCoordinator(registry, connection, settings, logger);
            if (!_stopping.IsCancellationRequested)
            {
                coordinator.Start();
                _coordinator = coordinator;
            }

            return new Running(connection, coordinator);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // The host stopped before Redis answered: there is nothing to stop.
            return null;
        }
        catch (Exception ex)
        {
            // Nobody awaits this task until the host stops: say so now, or coordination silently never happens.
            _failed = true;
            Log.StartFailed(logger, ex);
            if (connection is not null && source.Owned)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            return null;
        }
    }

    private sealed record Running(IConnectionMultiplexer Connection, RedisFleetCoordinator Coordinator);
}
