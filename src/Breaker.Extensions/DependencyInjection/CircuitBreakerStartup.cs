using System.Threading;
using System.Threading.Tasks;
using Breaker.Configuration;
using Breaker.Logging;
using Microsoft.Extensions.Hosting;

namespace Breaker.DependencyInjection;

/// <summary>When the host starts: validates and applies the configuration (failing the start if it is invalid) and starts logging.</summary>
internal sealed class CircuitBreakerStartup(CircuitBreakerConfigurator configurator, CircuitBreakerStateLogger stateLogger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        configurator.Start();
        stateLogger.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
