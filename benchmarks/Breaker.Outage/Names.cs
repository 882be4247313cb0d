using System;

namespace Breaker.Outage;

/// <summary>The names shapes and arms have on the command line, in the CSV and in the charts.</summary>
public static class Names
{
    public static string Of(OutageShape shape) => shape switch
    {
        OutageShape.Hang => "hang",
        OutageShape.Fast503 => "fast-503",
        OutageShape.Refused => "refused",
        OutageShape.Partial => "partial-30",
        _ => throw new ArgumentOutOfRangeException(nameof(shape)),
    };

    public static string Of(Arm arm) => arm switch
    {
        Arm.NoBreaker => "no-breaker",
        Arm.Polly => "polly",
        Arm.Breaker => "breaker",
        Arm.BreakerFallback => "breaker-fallback",
        Arm.BreakerFleet => "breaker-fleet",
        Arm.BreakerInFlight => "breaker-inflight",
        _ => throw new ArgumentOutOfRangeException(nameof(arm)),
    };

    public static string OfOutcome(CallOutcome outcome) => outcome switch
    {
        CallOutcome.Ok => "ok",
        CallOutcome.Failed => "failed",
        CallOutcome.Rejected => "rejected",
        CallOutcome.FallbackAfterFailure => "fallback-failed",
        CallOutcome.FallbackAfterRejection => "fallback-rejected",
        _ => "no-answer",
    };

    public static TEnum Parse<TEnum>(string name)
        where TEnum : struct, Enum
    {
        foreach (TEnum value in Enum.GetValues<TEnum>())
        {
            string known = value switch
            {
                OutageShape s => Of(s),
                Arm a => Of(a),
                CallOutcome o => OfOutcome(o),
                _ => value.ToString(),
            };
            if (string.Equals(known, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        throw new ArgumentException($"Unknown {typeof(TEnum).Name} '{name}'.");
    }
}

/// <summary>How the downstream fails during the outage.</summary>
public enum OutageShape
{
    /// <summary>Accepts the request and never answers: the front's timeout fires.</summary>
    Hang,

    /// <summary>Answers 503 at once.</summary>
    Fast503,

    /// <summary>Stops listening: connections are refused.</summary>
    Refused,

    /// <summary>Answers 503 to 30% of requests, the rest normally.</summary>
    Partial,
}

/// <summary>How the front calls the downstream.</summary>
public enum Arm
{
    /// <summary>A plain HttpClient with the timeout.</summary>
    NoBreaker,

    /// <summary>Microsoft.Extensions.Http.Resilience: Polly v8's circuit breaker around its timeout.</summary>
    Polly,

    /// <summary>Breaker.Http's handler, the breaker's own timeout.</summary>
    Breaker,

    /// <summary>A [CircuitBreaker] method with a fallback (generated code).</summary>
    BreakerFallback,

    /// <summary>Three front instances whose breakers coordinate through redis-server.</summary>
    BreakerFleet,

    /// <summary>Breaker.Http with CountSlowCallsInFlight.</summary>
    BreakerInFlight,
}

/// <summary>What the front answered one request with.</summary>
public enum CallOutcome
{
    /// <summary>The downstream's answer.</summary>
    Ok,

    /// <summary>The call failed (error status, refused, timed out) and the front answered an error.</summary>
    Failed,

    /// <summary>The breaker rejected the call without sending it; the front answered an error at once.</summary>
    Rejected,

    /// <summary>The call failed and the fallback answered.</summary>
    FallbackAfterFailure,

    /// <summary>The breaker rejected the call and the fallback answered.</summary>
    FallbackAfterRejection,

    /// <summary>The load generator got no answer from the front (its own 30 s limit, or a broken connection).</summary>
    NoAnswer,
}
