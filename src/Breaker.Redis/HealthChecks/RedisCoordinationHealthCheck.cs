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
/// default) while it acts on its own because Redis is out of reach, coordination has not started, or it could not start;
/// Degraded while it shares breakers with other instances without a signing key (unless it opted out with AllowUnsigned).
/// A pure read of what the coordinator last saw: it sends nothing to Redis.
/// </summary>
internal sealed class RedisCoordinationHealthCheck(IEnumerable<IHostedService> hosted) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Check(hosted.OfType<RedisCoordinationService>().ToArray(), context.Registration.FailureStatus));

    private static HealthCheckResult Check(RedisCoordinationService[] services, HealthStatus failure)
    {
        if (services.Length == 0)
        {
            return new HealthCheckResult(failure, "Fleet coordination is not registered (AddRedisCoordination).");
        }

        var data = new Dictionary<string, object>();
        foreach (RedisCoordinationService service in services)
        {
            if (service.Coordinator is not { } coordinator)
            {
                string why = service.Failed ? "could not start (see the log)" : "has not started yet (connecting to Redis)";
                return new HealthCheckResult(failure, $"Fleet coordination {why}: circuit breakers act on their own.");
            }

            data["instanceId"] = coordinator.InstanceId;
            data["isCoordinating"] = coordinator.IsCoordinating;
            data["breakers"] = coordinator.Participants;
            data["leftOut"] = coordinator.LeftOut;
            if (!coordinator.IsCoordinating)
            {
                return new HealthCheckResult(
                    failure,
                    $"Redis is out of reach: the {coordinator.Participants} coordinated circuit breakers of instance {coordinator.InstanceId} act on their own.",
                    data: data);
            }

            if (coordinator.IsUnsignedFleet)
            {
                return new HealthCheckResult(
                    HealthStatus.Degraded,
                    $"Instance {coordinator.InstanceId} shares its circuit breakers with other instances without a signing key: anyone who can write to Redis can open them. Set SigningKey, or AllowUnsigned = true to run unsigned on purpose.",
                    data: data);
            }
        }

        return HealthCheckResult.Healthy($"Instance {data["instanceId"]} coordinates {data["breakers"]} circuit breakers with the fleet.", data);
    }
}
