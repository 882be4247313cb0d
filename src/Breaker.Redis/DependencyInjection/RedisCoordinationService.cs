using System;
using System.Threading;
using System.Threading.Tasks;
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
    private Task<Running>? _starting;

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
        Running running = await _starting.WaitAsync(cancellationToken).ConfigureAwait(false);
        await running.Coordinator.StopAsync(cancellationToken).ConfigureAwait(false);
        if (source.Owned)
        {
            await running.Connection.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    private async Task<Running> StartCoordinatorAsync(RedisCoordinationOptions settings)
    {
        IConnectionMultiplexer connection = await source.ConnectAsync(services).ConfigureAwait(false);
        var coordinator = new RedisFleetCoordinator(registry, connection, settings, logger);
        if (!_stopping.IsCancellationRequested)
        {
            coordinator.Start();
        }

        return new Running(connection, coordinator);
    }

    private sealed record Running(IConnectionMultiplexer Connection, RedisFleetCoordinator Coordinator);
}
