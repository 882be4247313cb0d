using System.Collections.Generic;

namespace Breaker.AspNetCore.Contracts;

/// <summary>
/// The answer of <c>GET {prefix}</c>: the counts over every breaker (keyed groups' included), every keyed group as one
/// entry, and one page of breakers in the order asked for: of the breakers on their own (<see cref="PagedBreakers"/> of
/// them), or of the keyed group <see cref="Group"/> names. <see cref="Management"/> is the path the management endpoints
/// are mapped under, or <see langword="null"/> when they are not mapped (the dashboard then shows no buttons).
/// <see cref="Next"/> is the path and query of the next page, or <see langword="null"/> on the last one.
/// </summary>
internal sealed record MonitorSummary(
    int Total,
    bool AllClosed,
    StateCounts CountsByState,
    string? Management,
    string Order,
    int Offset,
    int Limit,
    IReadOnlyList<BreakerDetails> Breakers,
    string? Next,
    string? Group,
    int PagedBreakers,
    IReadOnlyList<GroupDetails> Groups);
