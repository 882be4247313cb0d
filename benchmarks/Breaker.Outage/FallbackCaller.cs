using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Breaker.Outage;

/// <summary>
/// A [CircuitBreaker] method with a fallback, as a user writes it: the generator writes <see cref="GetAsync"/>. Its
/// thresholds are the attribute's defaults, replaced at run time by <see cref="Thresholds"/> through the registry.
/// </summary>
public sealed partial class FallbackCaller(Uri downstream, PerSecond attempts) : IDownstreamCaller
{
    public const string BreakerName = "outage-fallback";

    private readonly HttpClient _http = new(new CountingHandler(attempts)) { BaseAddress = downstream, Timeout = System.Threading.Timeout.InfiniteTimeSpan };

    public async Task<CallOutcome> CallAsync(CancellationToken cancellationToken) => await GetAsync(cancellationToken);

    [CircuitBreaker(BreakerName, Fallback = nameof(Cached))]
    public partial Task<CallOutcome> GetAsync(CancellationToken cancellationToken);

    public void Dispose() => _http.Dispose();

    private async Task<CallOutcome> GetAsyncCore(CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await _http.GetAsync("work", cancellationToken);
        response.EnsureSuccessStatusCode();
        return CallOutcome.Ok;
    }

    // What a service would serve from its cache; the benchmark only needs to know why it was served.
    private static CallOutcome Cached(CancellationToken cancellationToken, Exception error) =>
        error is BrokenCircuitException ? CallOutcome.FallbackAfterRejection : CallOutcome.FallbackAfterFailure;
}
