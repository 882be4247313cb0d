namespace Breaker.Windows;

/// <summary>What a sliding window holds at one moment: calls, and how many of them failed or were slow.</summary>
internal readonly record struct WindowCounts(long Calls, long Failures, long SlowCalls)
{
    public double FailureRate => Calls == 0 ? 0.0 : (double)Failures / Calls;

    public double SlowCallRate => Calls == 0 ? 0.0 : (double)SlowCalls / Calls;
}
