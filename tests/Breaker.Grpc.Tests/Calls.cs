using System;
using System.Threading;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Grpc.Tests;

/// <summary>What the tests share: breakers on fake time, and call options that carry a test's key to the server.</summary>
internal static class Calls
{
    /// <summary>A breaker on its own fake clock that opens on the first failure and breaks for 30 seconds.</summary>
    public static CircuitBreaker Breaker(string name, FakeTimeProvider clock, Action<CircuitBreakerOptions>? configure = null) =>
        new CircuitBreakerRegistry(clock).GetOrAdd(name, o =>
        {
            o.ConsecutiveFailureThreshold = 1;
            o.BreakDuration = TimeSpan.FromSeconds(30);
            o.SuccessThreshold = 1;
            configure?.Invoke(o);
        });

    /// <summary>Call options naming <paramref name="key"/> for the server's counters, with the caller's token.</summary>
    public static CallOptions For(string key, CancellationToken cancellationToken = default) =>
        new(new Metadata { { "x-key", key } }, cancellationToken: cancellationToken);

    public static Order Fail(StatusCode status, params string[] pushback)
    {
        var order = new Order { Status = (int)status };
        order.Pushback.Add(pushback);
        return order;
    }

    /// <summary>The breaker's exception a rejection carries, with the wait it reports.</summary>
    public static BrokenCircuitException Rejection(RpcException exception)
    {
        Assert.Equal(StatusCode.Unavailable, exception.StatusCode);
        return Assert.IsType<BrokenCircuitException>(exception.Status.DebugException);
    }
}
