using System.Collections.Generic;

namespace Breaker.AspNetCore.Contracts;

/// <summary>The answer of <c>GET {prefix}/health</c>.</summary>
internal sealed record MonitorHealth(
    MonitorHealthStatus Status,
    int Total,
    StateCounts CountsByState,
    IReadOnlyDictionary<string, CircuitState> OpenBreakers);
