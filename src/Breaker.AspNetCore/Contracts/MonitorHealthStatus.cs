namespace Breaker.AspNetCore.Contracts;

/// <summary>What the breakers together say about the application's dependencies.</summary>
internal enum MonitorHealthStatus
{
    /// <summary>Every breaker lets calls through (closed or metrics-only), or there is none.</summary>
    Healthy,

    /// <summary>Some breakers reject calls (open, half-open or isolated), but not all of them.</summary>
    Degraded,

    /// <summary>Every breaker rejects calls.</summary>
    Unhealthy,
}
