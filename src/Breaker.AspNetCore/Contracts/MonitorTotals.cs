using System.Collections.Generic;

namespace Breaker.AspNetCore.Contracts;

/// <summary>
/// The answer of <c>GET {prefix}/metrics</c>: lifetime counts added over every breaker, the breakers not closed by name,
/// and the overall failure rate (failed calls over calls that ran, lifetime; 0 before any call ran).
/// </summary>
internal sealed record MonitorTotals(
    int Breakers,
    long TotalCalls,
    long SuccessfulCalls,
    long FailedCalls,
    long RejectedCalls,
    long IgnoredCalls,
    long FallbackCalls,
    long SlowCalls,
    long CircuitOpens,
    double FailureRate,
    StateCounts CountsByState,
    IReadOnlyDictionary<string, CircuitState> OpenBreakers);
