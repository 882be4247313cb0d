using System;
using Microsoft.Extensions.Logging;

namespace Breaker.Logging;

/// <summary>The coordinator's log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Fleet coordination started for instance {InstanceId} under prefix {KeyPrefix}.")]
    public static partial void Started(ILogger logger, string instanceId, string keyPrefix);

    [LoggerMessage(2, LogLevel.Warning, "Fleet opened circuit breaker {BreakerName}: {InstancesCrossed} of {Instances} instances see it failing, {Failures} failures and {SlowCalls} slow calls in {Calls} calls; the break ends at {BreakEnds:O}.")]
    public static partial void FleetOpened(ILogger logger, string breakerName, int instancesCrossed, int instances, long failures, long slowCalls, long calls, DateTimeOffset breakEnds);

    [LoggerMessage(3, LogLevel.Information, "Circuit breaker {BreakerName} opened by the fleet until {BreakEnds:O}.")]
    public static partial void OpeningApplied(ILogger logger, string breakerName, DateTimeOffset breakEnds);

    [LoggerMessage(4, LogLevel.Information, "This instance probes circuit breaker {BreakerName} for the fleet.")]
    public static partial void LeaseTaken(ILogger logger, string breakerName);

    [LoggerMessage(5, LogLevel.Information, "Circuit breaker {BreakerName}: this instance's probes decided {Verdict} for the fleet.")]
    public static partial void VerdictPublished(ILogger logger, string breakerName, CircuitState verdict);

    [LoggerMessage(6, LogLevel.Information, "Circuit breaker {BreakerName} closed by the fleet's probes.")]
    public static partial void CloseApplied(ILogger logger, string breakerName);

    [LoggerMessage(7, LogLevel.Warning, "Redis is out of reach: circuit breakers act on their own until it returns.")]
    public static partial void CoordinationLost(ILogger logger);

    [LoggerMessage(8, LogLevel.Information, "Redis is back: circuit breakers coordinate with the fleet again.")]
    public static partial void CoordinationResumed(ILogger logger);

    [LoggerMessage(9, LogLevel.Debug, "An exchange with Redis failed.")]
    public static partial void ExchangeFailed(ILogger logger, Exception exception);

    [LoggerMessage(10, LogLevel.Warning, "Circuit breaker {BreakerName} already has a coordinator; it stays out of fleet coordination.")]
    public static partial void AlreadyCoordinated(ILogger logger, string breakerName);

    [LoggerMessage(11, LogLevel.Information, "Fleet coordination stopped for instance {InstanceId}.")]
    public static partial void Stopped(ILogger logger, string instanceId);

    [LoggerMessage(12, LogLevel.Error, "Fleet coordination could not start: circuit breakers act on their own.")]
    public static partial void StartFailed(ILogger logger, Exception exception);

    [LoggerMessage(13, LogLevel.Debug, "An exchange with Redis failed while fleet coordination was stopping.")]
    public static partial void FailedWhileStopping(ILogger logger, Exception exception);
}
