using System.Collections.Generic;

namespace Breaker.AspNetCore.Contracts;

/// <summary>
/// The answer of <c>GET {prefix}</c>: every breaker, sorted by name. <see cref="Management"/> is the path the management
/// endpoints are mapped under, or <see langword="null"/> when they are not mapped (the dashboard then shows no buttons).
/// </summary>
internal sealed record MonitorSummary(
    int Total,
    bool AllClosed,
    StateCounts CountsByState,
    string? Management,
    IReadOnlyList<BreakerDetails> Breakers);
