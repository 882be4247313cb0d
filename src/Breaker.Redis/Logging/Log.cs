using System;
using Microsoft.Extensions.Logging;

namespace Breaker.Logging;

/// <summary>The coordinator's log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Fleet coordination started for instance {InstanceId} under prefix {KeyPrefix}.")]
    public static partial void Started(ILogger logger, string instanceId, string keyPrefix);

    [LoggerMessage(2, LogLevel.Warning, "Fleet opened circuit breaker {BreakerName} for {BreakDuration}: {InstancesCrossed} of {Instances} instances see it failing, {Failures} failures and {SlowCalls} slow calls in {Calls} calls.")]
    public static partial void FleetOpened(ILogger logger, string breakerName, TimeSpan breakDuration, int instancesCrossed, int instances, long failures, long slowCalls, long calls);

    [LoggerMessage(3, LogLevel.Information, "Circuit breaker {BreakerName} opened by the fleet (instance {OpenedBy}) for {Applied} ({Remaining} left of the shared break).")]
    public static partial void OpeningApplied(ILogger logger, string breakerName, string openedBy, TimeSpan applied, TimeSpan remaining);

    [LoggerMessage(4, LogLevel.Information, "This instance probes circuit breaker {BreakerName} for the fleet.")]
    public static partial void LeaseTaken(ILogger logger, string breakerName);

    [LoggerMessage(5, LogLevel.Information, "Circuit breaker {BreakerName}: this instance's probes decided {Verdict} for the fleet (break {BreakDuration}).")]
    public static partial void VerdictPublished(ILogger logger, string breakerName, CircuitState verdict, TimeSpan breakDuration);

    [LoggerMessage(6, LogLevel.Information, "Circuit breaker {BreakerName} closed by the fleet's probes (instance {ClosedBy}).")]
    public static partial void CloseApplied(ILogger logger, string breakerName, string closedBy);

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

    [LoggerMessage(14, LogLevel.Warning, "Ignored {What} from {Source} for circuit breaker {BreakerName}: {Problem}. Further ones from this source are ignored without a log line.")]
    public static partial void UntrustedRecord(ILogger logger, string what, string source, string breakerName, string problem);

    [LoggerMessage(15, LogLevel.Warning, "Records were refused from more than {MaxSources} sources; further ones are ignored without a log line.")]
    public static partial void UntrustedSourcesFull(ILogger logger, int maxSources);

    [LoggerMessage(16, LogLevel.Warning, "Circuit breaker {BreakerName} stays local: {MaxBreakers} breakers already take part in fleet coordination (RedisCoordinationOptions.MaxBreakers). List the breakers that matter in RedisCoordinationOptions.Breakers, or raise MaxBreakers; further breakers left out are logged at debug level.")]
    public static partial void TooManyBreakers(ILogger logger, string breakerName, int maxBreakers);

    [LoggerMessage(17, LogLevel.Debug, "Circuit breaker {BreakerName} stays local: {MaxBreakers} breakers already take part in fleet coordination.")]
    public static partial void LeftOutAgain(ILogger logger, string breakerName, int maxBreakers);

    [LoggerMessage(18, LogLevel.Information, "Circuit breaker {BreakerName}: the fleet's break ended without a verdict (nobody probed, or Redis lost it); this instance finishes it on its own.")]
    public static partial void BreakLeft(ILogger logger, string breakerName);

    [LoggerMessage(19, LogLevel.Warning, "Circuit breaker {BreakerName}: no verdict from the instance probing for the fleet within {Waited} after the break; this instance probes on its own.")]
    public static partial void NoVerdict(ILogger logger, string breakerName, TimeSpan waited);

    [LoggerMessage(20, LogLevel.Debug, "Circuit breaker {BreakerName}: the verdict {Verdict} was not published, the fleet's state changed meanwhile.")]
    public static partial void VerdictNotPublished(ILogger logger, string breakerName, CircuitState verdict);

    [LoggerMessage(21, LogLevel.Warning, "Fleet coordination under prefix {KeyPrefix} runs without a signing key: anyone who can write to Redis can open this fleet's breakers, so every break taken from the fleet is held to the breaker's own BreakDuration. Set RedisCoordinationOptions.SigningKey (the same secret on every instance), or set AllowUnsigned = true to run unsigned on purpose.")]
    public static partial void Unsigned(ILogger logger, string keyPrefix);
}
