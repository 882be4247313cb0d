namespace Breaker.Protocol;

/// <summary>The runtime's threshold test, applied to counts: failures or slow calls at or over their ratio (by division, as the runtime does).</summary>
internal static class RatioRule
{
    public static bool Crossed(long calls, long failures, long slowCalls, CircuitBreakerOptions options) =>
        calls > 0
        && ((double)failures / calls >= options.FailureRatio || (double)slowCalls / calls >= options.SlowCallRatio);
}
