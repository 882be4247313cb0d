using System;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Wraps an existing registration of an interface in a generated circuit-breaker decorator (see docs/decorators.md).</summary>
public static class CircuitBreakerDecoratorServiceCollectionExtensions
{
    /// <summary>
    /// Replaces the last registration of <typeparamref name="TService"/> with one that resolves the original and passes
    /// it to <paramref name="decorate"/>, with the original's lifetime: a typed client, a Refit client,
    /// <c>AddSingleton&lt;IFoo, Foo&gt;()</c>, a factory or an instance. No reflection: the original is kept under a
    /// private key, and <paramref name="decorate"/> is the decorator's constructor (<c>static inner =&gt; new FooBreaker(inner)</c>).
    /// </summary>
    /// <typeparam name="TService">The interface the decorator implements.</typeparam>
    /// <param name="services">The services, which already register <typeparamref name="TService"/>.</param>
    /// <param name="decorate">Creates the decorator around the original instance.</param>
    /// <returns>The services, for chaining.</returns>
    /// <exception cref="InvalidOperationException">Nothing registers <typeparamref name="TService"/> yet.</exception>
    public static IServiceCollection AddCircuitBreakerDecorator<TService>(this IServiceCollection services, Func<TService, TService> decorate)
        where TService : class =>
        Decorate(services, serviceKey: null, keyed: false, decorate);

    /// <summary>
    /// Replaces the last registration of <typeparamref name="TService"/> under <paramref name="serviceKey"/> with one that
    /// passes the original to <paramref name="decorate"/>, keeping its lifetime, as
    /// <see cref="AddCircuitBreakerDecorator{TService}(IServiceCollection, Func{TService, TService})"/> does for an unkeyed one.
    /// </summary>
    /// <typeparam name="TService">The interface the decorator implements.</typeparam>
    /// <param name="services">The services, which already register <typeparamref name="TService"/> under <paramref name="serviceKey"/>.</param>
    /// <param name="serviceKey">The key of the registration to decorate.</param>
    /// <param name="decorate">Creates the decorator around the original instance.</param>
    /// <returns>The services, for chaining.</returns>
    /// <exception cref="InvalidOperationException">Nothing registers <typeparamref name="TService"/> under <paramref name="serviceKey"/> yet.</exception>
    public static IServiceCollection AddCircuitBreakerDecorator<TService>(this IServiceCollection services, object serviceKey, Func<TService, TService> decorate)
        where TService : class
    {
        ArgumentNullException.ThrowIfNull(serviceKey);
        return Decorate(services, serviceKey, keyed: true, decorate);
    }

    private static IServiceCollection Decorate<TService>(IServiceCollection services, object? serviceKey, bool keyed, Func<TService, TService> decorate)
        where TService : class
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(decorate);
        int index = services.Count - 1;
        while (index >= 0 && !(services[index].ServiceType == typeof(TService) && services[index].IsKeyedService == keyed && Equals(services[index].ServiceKey, serviceKey)))
        {
            index--;
        }

        if (index < 0)
        {
            throw new InvalidOperationException(
                $"Nothing registers {typeof(TService)}{(keyed ? " under the key '" + serviceKey + "'" : string.Empty)} to decorate with a circuit breaker; register it first.");
        }

        // The original moves under a key only this decoration knows (an object compared by reference), so nothing else
        // resolves it; the decorated registration takes its place, with its lifetime, and resolves it in the same scope.
        ServiceDescriptor original = services[index];
        var innerKey = new InnerKey(typeof(TService));
        services.Add(AsKeyed(original, innerKey));
        services[index] = keyed
            ? new ServiceDescriptor(typeof(TService), serviceKey, (provider, _) => decorate(provider.GetRequiredKeyedService<TService>(innerKey)), original.Lifetime)
            : new ServiceDescriptor(typeof(TService), provider => decorate(provider.GetRequiredKeyedService<TService>(innerKey)), original.Lifetime);
        return services;
    }

    /// <summary>The original registration under <paramref name="innerKey"/>; a keyed factory still gets its own key.</summary>
    private static ServiceDescriptor AsKeyed(ServiceDescriptor original, InnerKey innerKey)
    {
        Type service = original.ServiceType;
        if (!original.IsKeyedService)
        {
            return original.ImplementationInstance is { } instance ? new ServiceDescriptor(service, innerKey, instance)
                : original.ImplementationFactory is { } factory ? new ServiceDescriptor(service, innerKey, (provider, _) => factory(provider), original.Lifetime)
                : new ServiceDescriptor(service, innerKey, original.ImplementationType!, original.Lifetime);
        }

        object? key = original.ServiceKey;
        return original.KeyedImplementationInstance is { } keyedInstance ? new ServiceDescriptor(service, innerKey, keyedInstance)
            : original.KeyedImplementationFactory is { } keyedFactory ? new ServiceDescriptor(service, innerKey, (provider, _) => keyedFactory(provider, key), original.Lifetime)
            : new ServiceDescriptor(service, innerKey, original.KeyedImplementationType!, original.Lifetime);
    }

    /// <summary>The private key of a decorated registration's original; its text says what it holds, for a container's error messages.</summary>
    private sealed class InnerKey(Type service)
    {
        public override string ToString() => "inner " + service.Name + " of a circuit-breaker decorator";
    }
}
