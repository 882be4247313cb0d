using System;
using System.Net.Http;
using Breaker;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds a circuit breaker to an <see cref="HttpClient"/> registered with <c>AddHttpClient</c>.</summary>
public static class CircuitBreakerHttpClientBuilderExtensions
{
    /// <summary>
    /// Guards the client's requests with the breaker called <paramref name="name"/> from the registry, created on first use
    /// with <paramref name="configure"/>'s options; configuration registered with <c>AddCircuitBreakers</c> overrides them.
    /// </summary>
    /// <param name="builder">The client's builder.</param>
    /// <param name="name">The breaker's name.</param>
    /// <param name="configure">The breaker's options in code; <see langword="null"/> for the defaults.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IHttpClientBuilder AddCircuitBreaker(this IHttpClientBuilder builder, string name, Action<CircuitBreakerOptions>? configure = null) =>
        builder.AddCircuitBreaker(name, configure, static _ => { });

    /// <summary>
    /// Like <see cref="AddCircuitBreaker(IHttpClientBuilder, string, Action{CircuitBreakerOptions}?)"/>, and also sets how
    /// the handler judges responses, answers rejections, and whether it keeps one breaker per host.
    /// </summary>
    /// <param name="builder">The client's builder.</param>
    /// <param name="name">The breaker's name (per host: the keyed group's name, the start of each host's breaker name).</param>
    /// <param name="configure">The breaker's options in code; <see langword="null"/> for the defaults.</param>
    /// <param name="configureHandler">Configures the handler's <see cref="HttpCircuitBreakerOptions"/>.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IHttpClientBuilder AddCircuitBreaker(
        this IHttpClientBuilder builder,
        string name,
        Action<CircuitBreakerOptions>? configure,
        Action<HttpCircuitBreakerOptions> configureHandler)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configureHandler);
        builder.Services.AddCircuitBreakers();
        builder.Services.Configure(builder.Name, configureHandler);

        // Handlers are recreated as the factory rotates them; breakers live in the registry, so their state carries over.
        string clientName = builder.Name;
        return builder.AddHttpMessageHandler(sp =>
        {
            HttpCircuitBreakerOptions options = sp.GetRequiredService<IOptionsMonitor<HttpCircuitBreakerOptions>>().Get(clientName);
            CircuitBreakerRegistry registry = sp.GetRequiredService<CircuitBreakerRegistry>();
            return options.PerHost
                ? new CircuitBreakerHandler(PerHost(registry.GetOrAddGroup<string>(name, configure)), options)
                : new CircuitBreakerHandler(registry.GetOrAdd(name, configure), options);
        });
    }

    /// <summary>
    /// One breaker per host is a keyed group: bounded like any (MaxKeys, KeyIdleTimeout), configured by the client's breaker
    /// name, left out of fleet coordination unless listed. A request without a host uses the group's shared breaker.
    /// </summary>
    private static Func<HttpRequestMessage, CircuitBreaker> PerHost(CircuitBreakerKeys<string> hosts) => request =>
    {
        string host = SafeUrl.Authority(request.RequestUri);
        return hosts.GetBreaker(host.Length == 0 ? null : host);
    };
}
