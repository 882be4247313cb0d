using System;
using System.Collections.Generic;
using System.Linq;

namespace Breaker.AspNetCore.Contracts;

/// <summary>
/// What a breaker's coordinator (fleet coordination) last saw: this instance's name, whether it follows the fleet or acts
/// on its own, the fleet's verdict and how long its break still runs, which instance holds the probe lease (probes for all;
/// <see langword="null"/>: none), and each instance's window as it reported it. Times cross to the viewer as durations
/// (<c>breakRemainingMs</c>, <c>observedAgoMs</c>), so its clock need not agree with the server's.
/// </summary>
internal sealed record BreakerCoordinationView(
    string InstanceId,
    bool IsCoordinating,
    CircuitState SharedState,
    string? ProbeLeaseHolder,
    DateTimeOffset? BreakEnds,
    double? BreakRemainingMs,
    long Epoch,
    double? ObservedAgoMs,
    IReadOnlyList<CoordinationPeerView> Instances)
{
    public static BreakerCoordinationView? From(CircuitBreaker breaker)
    {
        if (breaker.Coordinator?.GetStatus(breaker) is not { } status)
        {
            return null;
        }

        DateTimeOffset now = breaker.TimeProvider.GetUtcNow();
        return new BreakerCoordinationView(
            status.InstanceId,
            status.IsCoordinating,
            status.SharedState,
            status.ProbeLeaseHolder,
            status.BreakEnds,
            status.BreakEnds is { } ends ? Math.Max(0, (ends - now).TotalMilliseconds) : null,
            status.Epoch,
            status.ObservedAt is { } observed ? Math.Max(0, (now - observed).TotalMilliseconds) : null,
            status.Instances.Select(CoordinationPeerView.From).ToArray());
    }
}

/// <summary>One instance of the fleet as it last reported its window for the breaker; <c>failureRate</c> from 0 to 1.</summary>
internal sealed record CoordinationPeerView(string InstanceId, long WindowCalls, long WindowFailures, long WindowSlowCalls, double FailureRate, bool ThresholdCrossed)
{
    public static CoordinationPeerView From(CoordinationPeer peer) => new(
        peer.InstanceId,
        peer.WindowCalls,
        peer.WindowFailures,
        peer.WindowSlowCalls,
        peer.WindowCalls > 0 ? (double)peer.WindowFailures / peer.WindowCalls : 0,
        peer.ThresholdCrossed);
}
