using System;
using System.Globalization;

namespace Breaker.Protocol;

/// <summary>
/// What one instance publishes about one breaker: its window's counts, whether its own ratio is crossed, and the fleet
/// epoch the counts belong to. Stored as <c>epoch:calls:failures:slow:crossed</c>.
/// </summary>
internal readonly record struct InstanceCounts(long Epoch, long Calls, long Failures, long SlowCalls, bool Crossed)
{
    /// <summary>Takes a breaker's window as it stands and judges it by the breaker's own thresholds.</summary>
    public static InstanceCounts From(CircuitBreakerMetrics metrics, CircuitBreakerOptions options, long epoch)
    {
        long calls = metrics.WindowCalls;
        bool crossed = options.IsRatioThresholdReached(calls, metrics.WindowFailures, metrics.WindowSlowCalls);
        return new InstanceCounts(epoch, calls, metrics.WindowFailures, metrics.WindowSlowCalls, crossed);
    }

    public string Format() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Epoch}:{Calls}:{Failures}:{SlowCalls}:{(Crossed ? 1 : 0)}");

    public static bool TryParse(ReadOnlySpan<char> text, out InstanceCounts counts)
    {
        counts = default;
        Span<long> fields = stackalloc long[5];
        int index = 0;
        foreach (Range range in text.Split(':'))
        {
            if (index == fields.Length
                || !long.TryParse(text[range], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out fields[index]))
            {
                return false;
            }

            index++;
        }

        if (index != fields.Length)
        {
            return false;
        }

        counts = new InstanceCounts(fields[0], fields[1], fields[2], fields[3], fields[4] != 0);
        return true;
    }
}
