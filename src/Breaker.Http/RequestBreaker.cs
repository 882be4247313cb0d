using System.Diagnostics.CodeAnalysis;
using System.Net.Http;

namespace Breaker;

/// <summary>
/// Where <see cref="CircuitBreakerHandler"/> leaves the breaker that guarded a request, so a caller answering with a
/// fallback (<see cref="CircuitBreakerJsonClient"/>) can count it on that breaker.
/// </summary>
internal static class RequestBreaker
{
    private const string Key = "Breaker.CircuitBreaker";

#if NET8_0_OR_GREATER
    private static readonly HttpRequestOptionsKey<CircuitBreaker> OptionKey = new(Key);

    public static void Set(HttpRequestMessage request, CircuitBreaker breaker) => request.Options.Set(OptionKey, breaker);

    public static bool TryGet(HttpRequestMessage request, [NotNullWhen(true)] out CircuitBreaker? breaker) =>
        request.Options.TryGetValue(OptionKey, out breaker);
#else
    // netstandard2.0 has no HttpRequestMessage.Options; its Properties bag is the same per-request dictionary (.NET 5+ made
    // Options that dictionary and marked Properties obsolete).
    public static void Set(HttpRequestMessage request, CircuitBreaker breaker) => request.Properties[Key] = breaker;

    public static bool TryGet(HttpRequestMessage request, [NotNullWhen(true)] out CircuitBreaker? breaker)
    {
        breaker = request.Properties.TryGetValue(Key, out object? value) ? value as CircuitBreaker : null;
        return breaker is not null;
    }
#endif
}
