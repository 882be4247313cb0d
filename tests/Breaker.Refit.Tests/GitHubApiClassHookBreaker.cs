using System;
using Refit;

namespace Breaker.Refit.Tests;

/// <summary>
/// A decorator of the sample's <see cref="IGitHubApi"/> with one breaker per method and the break hook on its class: every
/// generated member's breaker honours Retry-After, with no member customised. Rejections throw (no fallback).
/// </summary>
[CircuitBreaker("refit-class-hook", PerMethod = true, ConsecutiveFailureThreshold = 2, BreakDurationMs = 30_000,
    Handles = [typeof(TransientApiException), typeof(ApiRequestException)], BreakDurationHook = nameof(HonourRetryAfter))]
public sealed partial class GitHubApiClassHookBreaker : IGitHubApi
{
    private static TimeSpan? HonourRetryAfter(BreakContext context) => RefitFailures.RetryAfter(context);
}
