using System;
using System.Globalization;
using Grpc.Core;

namespace Breaker;

/// <summary>Reads how long a gRPC server asks its clients to stay away: the <c>grpc-retry-pushback-ms</c> trailer.</summary>
internal static class RetryPushback
{
    /// <summary>The trailer's name (gRPC's retry design, proposal A6).</summary>
    public const string TrailerName = "grpc-retry-pushback-ms";

    /// <summary>
    /// The wait <paramref name="trailers"/> ask for, or <see cref="TimeSpan.Zero"/> when they ask none: no trailer, a value that
    /// is not plain decimal digits (a sign, a fraction, spaces, text), zero, or the trailer given more than once. A value past
    /// <see cref="int.MaxValue"/> milliseconds (however many digits) is held there; the breaker then holds it to its own longest break.
    /// </summary>
    /// <param name="trailers">The call's trailers, or <see langword="null"/> when it has none.</param>
    public static TimeSpan Requested(Metadata? trailers)
    {
        if (trailers is null)
        {
            return TimeSpan.Zero;
        }

        string? value = null;
        foreach (Metadata.Entry entry in trailers)
        {
            if (!entry.IsBinary && string.Equals(entry.Key, TrailerName, StringComparison.Ordinal))
            {
                if (value is not null)
                {
                    // Two answers to one question: believing either would let the server pick the longer one by accident.
                    return TimeSpan.Zero;
                }

                value = entry.Value;
            }
        }

        // Digits only: a negative value means "do not retry" in gRPC's design, which is no wait to honor here (the breaker's
        // own thresholds decide whether to break); a sign, a fraction or spaces make the value garbage.
        if (value is null || value.Length == 0 || value.AsSpan().ContainsAnyExceptInRange('0', '9'))
        {
            return TimeSpan.Zero;
        }

        // Too many digits for a ulong is still a (huge) wait: held like any other.
        ulong milliseconds = ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out ulong parsed) ? parsed : ulong.MaxValue;
        if (milliseconds == 0)
        {
            return TimeSpan.Zero;
        }

        return TimeSpan.FromMilliseconds(Math.Min(milliseconds, int.MaxValue));
    }
}
