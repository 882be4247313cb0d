using System.Collections.Generic;

namespace Breaker.AspNetCore.Contracts;

/// <summary>
/// The answer of <c>GET {prefix}/events</c> and <c>GET {prefix}/{name}/events</c>: one page of recent events, newest first,
/// out of <see cref="Total"/> kept (each breaker keeps its last 32); <see cref="Next"/> is the next page's path and query,
/// or <see langword="null"/> on the last one.
/// </summary>
internal sealed record MonitorEvents(int Total, int Offset, int Limit, IReadOnlyList<BreakerEventView> Events, string? Next);
