using System;

namespace Breaker.Telemetry;

/// <summary>Calls by outcome and the time spent in calls that ran, summed over breakers (a keyed group's series).</summary>
internal sealed class CallCounts
{
    public long Successes { get; private set; }

    /// <summary>Failures by <see cref="FailureKind"/> value.</summary>
    public long[] Failures { get; } = new long[(int)FailureKind.SlowCall + 1];

    public long Rejected { get; private set; }

    public long Ignored { get; private set; }

    public double Seconds { get; private set; }

    public void Add(CircuitBreaker breaker)
    {
        Successes += breaker.SuccessfulCalls();
        for (int kind = 0; kind < Failures.Length; kind++)
        {
            Failures[kind] += breaker.FailedCalls((FailureKind)kind);
        }

        Rejected += breaker.RejectedCalls();
        Ignored += breaker.IgnoredCalls();
        Seconds += breaker.TotalDurationSeconds();
    }

    public CallCounts Copy()
    {
        var copy = new CallCounts { Successes = Successes, Rejected = Rejected, Ignored = Ignored, Seconds = Seconds };
        Failures.CopyTo(copy.Failures, 0);
        return copy;
    }

    public void RaiseTo(CallCounts other)
    {
        Successes = Math.Max(Successes, other.Successes);
        for (int kind = 0; kind < Failures.Length; kind++)
        {
            Failures[kind] = Math.Max(Failures[kind], other.Failures[kind]);
        }

        Rejected = Math.Max(Rejected, other.Rejected);
        Ignored = Math.Max(Ignored, other.Ignored);
        Seconds = Math.Max(Seconds, other.Seconds);
    }
}
