using System.Collections.Generic;

namespace Breaker.AspNetCore.Contracts;

/// <summary>
/// The answer of <c>GET {prefix}/{name}/history</c>: the breaker's window failure rate as the monitor sampled it every
/// <see cref="IntervalMs"/>, oldest first, for the last minutes. For a key of a keyed group, whose breakers are sampled as
/// one series, the group's rate (all its breakers' windows together), and <see cref="Group"/> names the group; otherwise
/// <see langword="null"/>.
/// </summary>
internal sealed record FailureRateHistoryView(string Name, double IntervalMs, IReadOnlyList<FailureRateSample> Samples, string? Group);

/// <summary>
/// One sample: how long ago it was taken, in milliseconds (a duration, so the server's and the viewer's clocks need not
/// agree), and the window's failure rate then, from 0 to 1.
/// </summary>
internal sealed record FailureRateSample(double AgeMs, double FailureRate);
