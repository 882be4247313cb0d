using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Breaker.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Breaker.HealthChecks;

/// <summary>
/// Healthy while this instance coordinates its breakers with the fleet; the registration's failure status (Degraded by
/// default) while it acts on its own because Redis is out of reach, coordination has not started, or it could not start.
/// A pure read of what the coordinator last saw: it sends nothing to Redis.
/// </summary>
internal sealed class RedisCoordinationHealthCheck(IEnumerable<IHostedService> hosted) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        RedisCoordinationService[] services = hosted.OfType<RedisCoordinationService>().ToArray();
        HealthStatus failure = context.Registration.FailureStatus;
        if (services.Length == 0)
        {
            return Task.FromResult(new HealthCheckResult(failure, "Fleet coordination is not registered (AddRedisCoordination)."));
        }

        foreach (RedisCoordinationService service in services)
        {
            RedisFleetCoordinator? coordinator = service.Coordinator;
            if (coordinator is null)
            {
                string why = service.Failed ? "could not start (see the log)" : "has not started yet (connecting to Redis)";
                return Task.FromResult(new HealthCheckResult(failure, $"Fleet coordination {why}: circuit breakers act on their own."));
            }

            var data = new Dictionary<string, object>
            {
                ["instanceId"] = coordinator.InstanceId,
                ["isCoordinating"] = coordinator.IsCoordinating,
                ["breakers"] = coordinator.Participants,
                ["leftOut"] = coordinator.LeftOut,
            };
            if (!coordinator.IsCoordinating)
            {
                return Task.FromResult(new HealthCheckResult(
                    failure,
                    $"Redis is out of reach: the {coordinator.Participants} coordinated circuit breakers of instance {coordinator.InstanceId} act on their own.",
                    data: data));
            }

            if (services.Length == 1)
            {
                return Task.FromResult(HealthCheckResult.Healthy(
                    $"Instance {coordinator.InstanceId} coordinates {coordinator.Participants} circuit breakers with the fleet.",
                    data));
            }
        }

        return Task.FromResult(HealthCheckResult.Healthy("Every fleet coordinator reaches Redis."));
    }
}
