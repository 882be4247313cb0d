using System;
using Breaker;
using Grpc.Net.ClientFactory;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds a circuit breaker to a gRPC client registered with <c>AddGrpcClient</c>.</summary>
public static class CircuitBreakerGrpcClientBuilderExtensions
{
    /// <summary>
    /// Guards the gRPC client's calls with the breaker called <paramref name="name"/> from the registry, created on first use
    /// with <paramref name="configure"/>'s options; configuration registered with <c>AddCircuitBreakers</c> overrides them.
    /// </summary>
    /// <param name="builder">The builder <c>AddGrpcClient</c> returned.</param>
    /// <param name="name">The breaker's name.</param>
    /// <param name="configure">The breaker's options in code; <see langword="null"/> for the defaults.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IHttpClientBuilder AddGrpcCircuitBreaker(this IHttpClientBuilder builder, string name, Action<CircuitBreakerOptions>? configure = null) =>
        builder.AddGrpcCircuitBreaker(name, configure, static _ => { });

    /// <summary>
    /// Like <see cref="AddGrpcCircuitBreaker(IHttpClientBuilder, string, Action{CircuitBreakerOptions}?)"/>, and also sets how
    /// the interceptor judges statuses, answers rejections (fallbacks per method), and whether it keeps one breaker per
    /// client, method or host.
    /// </summary>
    /// <param name="builder">The builder <c>AddGrpcClient</c> returned.</param>
    /// <param name="name">The breaker's name (per method or host: the keyed group's name, the start of each breaker's name).</param>
    /// <param name="configure">The breaker's options in code; <see langword="null"/> for the defaults.</param>
    /// <param name="configureInterceptor">Configures the interceptor's <see cref="GrpcCircuitBreakerOptions"/>.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IHttpClientBuilder AddGrpcCircuitBreaker(
        this IHttpClientBuilder builder,
        string name,
        Action<CircuitBreakerOptions>? configure,
        Action<GrpcCircuitBreakerOptions> configureInterceptor)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configureInterceptor);
        builder.Services.AddCircuitBreakers();
        builder.Services.Configure(builder.Name, configureInterceptor);

        // Channels are recreated as the factory rotates handlers; breakers live in the registry, so their state carries over.
        string clientName = builder.Name;
        return builder.AddInterceptor(services =>
        {
            GrpcCircuitBreakerOptions options = services.GetRequiredService<IOptionsMonitor<GrpcCircuitBreakerOptions>>().Get(clientName);
            CircuitBreakerRegistry registry = services.GetRequiredService<CircuitBreakerRegistry>();
            return options.Scope switch
            {
                GrpcBreakerScope.Method => new CircuitBreakerInterceptor(registry.GetOrAddGroup<string>(name, configure).GetBreaker, options),
                GrpcBreakerScope.Host => new CircuitBreakerInterceptor(Host(registry.GetOrAddGroup<string>(name, configure), services, clientName), options),
                _ => new CircuitBreakerInterceptor(registry.GetOrAdd(name, configure), options),
            };
        });
    }

    /// <summary>
    /// One breaker per host: the client's address (host and port) is the key, read once per channel and looked up per call (an
    /// idle host's breaker may be evicted; its next call gets a new one). A client without an address uses the group's shared breaker.
    /// </summary>
    private static Func<string, CircuitBreaker> Host(CircuitBreakerKeys<string> hosts, IServiceProvider services, string clientName)
    {
        Uri? address = services.GetRequiredService<IOptionsMonitor<GrpcClientFactoryOptions>>().Get(clientName).Address;
        string? host = address is { IsAbsoluteUri: true } ? address.GetComponents(UriComponents.HostAndPort, UriFormat.UriEscaped) : null;
        return _ => hosts.GetBreaker(host);
    }
}
