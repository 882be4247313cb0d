using System;
using System.Threading;
using System.Threading.Tasks;

namespace Breaker.EndToEnd.Tests.Services;

/// <summary>A failure that says how long the partner wants to be left alone.</summary>
public sealed class RateLimitedException(TimeSpan retryAfter) : Exception("rate limited")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}

/// <summary>A partner whose breaker's hook takes the wait the partner asked for from its exception.</summary>
public partial class Partner
{
    public Exception? Failure { get; set; }

    public int Calls { get; private set; }

    [CircuitBreaker("e2e-hook", BreakDurationHook = nameof(ChooseBreak), ConsecutiveFailureThreshold = 1, SuccessThreshold = 1, BreakDurationMs = 30_000, MaxBreakDurationMs = 120_000)]
    public partial Task<string> SendAsync(string message, CancellationToken cancellationToken);

    private Task<string> SendAsyncCore(string message, CancellationToken cancellationToken)
    {
        Calls++;
        return Failure is { } failure ? Task.FromException<string>(failure) : Task.FromResult("sent " + message);
    }

    private static TimeSpan? ChooseBreak(BreakContext context) =>
        context.Exception is RateLimitedException limited ? limited.RetryAfter : null;
}

/// <summary>A service whose breaks back off and are spread by jitter, all from the attribute.</summary>
public static partial class Spreader
{
    public static bool Failing { get; set; }

    [CircuitBreaker("e2e-jitter", ConsecutiveFailureThreshold = 1, SuccessThreshold = 1, BreakDurationMs = 10_000, BreakDurationMultiplier = 2, MaxBreakDurationMs = 25_000, BreakJitterRatio = 0.2)]
    public static partial int Next();

    private static int NextCore() => Failing ? throw new InvalidOperationException("down") : 1;
}
