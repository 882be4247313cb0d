using System;
using System.Linq;
using Microsoft.Extensions.DependencyInjection;

namespace Breaker.Extensions.Tests;

public interface IGreeter
{
    string Greet(string name);
}

/// <summary>The registered implementation; each instance has its own id, so a test can tell instances apart.</summary>
public sealed class Greeter : IGreeter, IDisposable
{
    public Guid Id { get; } = Guid.NewGuid();

    public string Label { get; init; } = "plain";

    public bool Disposed { get; private set; }

    public string Greet(string name) => Label + ":" + name + ":" + Id;

    public void Dispose() => Disposed = true;
}

[CircuitBreaker("ext-greeter")]
public sealed partial class GreeterBreaker : IGreeter;

/// <summary><c>AddCircuitBreakerDecorator</c> against a real <see cref="ServiceProvider"/>, for every kind of registration.</summary>
public class DecoratorRegistrationTests
{
    private static readonly ServiceProviderOptions Strict = new() { ValidateOnBuild = true, ValidateScopes = true };

    [Fact]
    public void A_singleton_registered_by_type_is_decorated_once_and_keeps_its_lifetime()
    {
        IServiceCollection services = new ServiceCollection().AddSingleton<IGreeter, Greeter>();
        services.AddCircuitBreakerDecorator<IGreeter>(static inner => new GreeterBreaker(inner));
        using ServiceProvider provider = services.BuildServiceProvider(Strict);

        IGreeter first = provider.GetRequiredService<IGreeter>();

        Assert.IsType<GreeterBreaker>(first);
        Assert.Same(first, provider.GetRequiredService<IGreeter>());
        Assert.Equal(first.Greet("ann"), provider.GetRequiredService<IGreeter>().Greet("ann"));
        Assert.StartsWith("plain:ann:", first.Greet("ann"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_scoped_registration_gets_one_decorator_and_one_inner_instance_per_scope_and_the_scope_disposes_the_inner_one()
    {
        IServiceCollection services = new ServiceCollection().AddScoped<IGreeter, Greeter>();
        services.AddCircuitBreakerDecorator<IGreeter>(static inner => new GreeterBreaker(inner));
        using ServiceProvider provider = services.BuildServiceProvider(Strict);

        string first;
        Greeter inner;
        using (IServiceScope scope = provider.CreateScope())
        {
            IGreeter greeter = scope.ServiceProvider.GetRequiredService<IGreeter>();
            Assert.Same(greeter, scope.ServiceProvider.GetRequiredService<IGreeter>());
            first = greeter.Greet("x");
            inner = (Greeter)scope.ServiceProvider.GetRequiredKeyedService<IGreeter>(KeyOf(services));
            Assert.Equal(first, inner.Greet("x"));
        }

        Assert.True(inner.Disposed);
        using IServiceScope other = provider.CreateScope();
        Assert.NotEqual(first, other.ServiceProvider.GetRequiredService<IGreeter>().Greet("x"));
        Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IGreeter>());
    }

    [Fact]
    public void A_transient_registration_gets_a_new_decorator_around_a_new_inner_instance_each_time()
    {
        IServiceCollection services = new ServiceCollection().AddTransient<IGreeter>(static _ => new Greeter { Label = "factory" });
        services.AddCircuitBreakerDecorator<IGreeter>(static inner => new GreeterBreaker(inner));
        using ServiceProvider provider = services.BuildServiceProvider(Strict);

        IGreeter one = provider.GetRequiredService<IGreeter>();
        IGreeter two = provider.GetRequiredService<IGreeter>();

        Assert.NotSame(one, two);
        Assert.IsType<GreeterBreaker>(two);
        Assert.NotEqual(one.Greet("x"), two.Greet("x"));
        Assert.StartsWith("factory:x:", one.Greet("x"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_keyed_registration_is_decorated_under_its_key_and_its_factory_still_gets_that_key()
    {
        IServiceCollection services = new ServiceCollection()
            .AddSingleton<IGreeter, Greeter>()
            .AddKeyedSingleton<IGreeter>("eu", static (_, key) => new Greeter { Label = (string)key! });
        services.AddCircuitBreakerDecorator<IGreeter>("eu", static inner => new GreeterBreaker(inner));
        using ServiceProvider provider = services.BuildServiceProvider(Strict);

        IGreeter europe = provider.GetRequiredKeyedService<IGreeter>("eu");

        Assert.IsType<GreeterBreaker>(europe);
        Assert.StartsWith("eu:x:", europe.Greet("x"), StringComparison.Ordinal);
        Assert.IsType<Greeter>(provider.GetRequiredService<IGreeter>());
    }

    [Fact]
    public void Only_the_last_of_several_registrations_is_decorated_and_none_is_added_or_lost()
    {
        var instance = new Greeter { Label = "instance" };
        IServiceCollection services = new ServiceCollection().AddSingleton<IGreeter, Greeter>().AddSingleton<IGreeter>(instance);
        services.AddCircuitBreakerDecorator<IGreeter>(static inner => new GreeterBreaker(inner));
        using ServiceProvider provider = services.BuildServiceProvider(Strict);

        IGreeter[] all = provider.GetServices<IGreeter>().ToArray();

        Assert.Equal(2, all.Length);
        Assert.IsType<Greeter>(all[0]);
        Assert.IsType<GreeterBreaker>(all[1]);
        Assert.Equal(instance.Greet("x"), all[1].Greet("x"));
        Assert.Same(all[1], provider.GetRequiredService<IGreeter>());
    }

    [Fact]
    public void Decorated_calls_go_through_the_decorators_breaker()
    {
        IServiceCollection services = new ServiceCollection().AddSingleton<IGreeter, Greeter>();
        services.AddCircuitBreakerDecorator<IGreeter>(static inner => new GreeterBreaker(inner));
        using ServiceProvider provider = services.BuildServiceProvider(Strict);
        CircuitBreaker breaker = Assert.Single(CircuitBreakerRegistry.Default, static b => b.Name == "ext-greeter");
        long before = breaker.GetMetrics().SuccessfulCalls;

        provider.GetRequiredService<IGreeter>().Greet("x");

        Assert.Equal(before + 1, breaker.GetMetrics().SuccessfulCalls);
    }

    [Fact]
    public void Decorating_what_is_not_registered_says_so()
    {
        IServiceCollection services = new ServiceCollection().AddKeyedSingleton<IGreeter, Greeter>("eu");

        InvalidOperationException unkeyed = Assert.Throws<InvalidOperationException>(() => services.AddCircuitBreakerDecorator<IGreeter>(static inner => new GreeterBreaker(inner)));
        InvalidOperationException wrongKey = Assert.Throws<InvalidOperationException>(() => services.AddCircuitBreakerDecorator<IGreeter>("us", static inner => new GreeterBreaker(inner)));

        Assert.Contains("Nothing registers Breaker.Extensions.Tests.IGreeter to decorate", unkeyed.Message, StringComparison.Ordinal);
        Assert.Contains("under the key 'us'", wrongKey.Message, StringComparison.Ordinal);
        Assert.Single(services);
    }

    /// <summary>The private key the original moved under (the one keyed registration whose key is not a user's).</summary>
    private static object KeyOf(IServiceCollection services) =>
        services.Single(static d => d.IsKeyedService && d.ServiceType == typeof(IGreeter)).ServiceKey!;
}
