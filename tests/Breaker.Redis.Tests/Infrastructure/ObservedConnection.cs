using System;
using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Threading;
using StackExchange.Redis;

namespace Breaker.Redis.Tests.Infrastructure;

/// <summary>
/// A Redis connection that forwards everything to a real one and watches the coordinator use it. Every piece of Redis work
/// the coordinator does starts with <see cref="IConnectionMultiplexer.GetDatabase"/> or
/// <see cref="IConnectionMultiplexer.GetSubscriber"/>, so this sees who asked for Redis: a call through a breaker (inside
/// <see cref="EnterCall"/>) or the background loop. It can also make the next piece of work fail.
/// (Not sealed: <see cref="DispatchProxy"/> derives the proxy type from it.)
/// </summary>
public class ObservedConnection : DispatchProxy
{
    private static readonly AsyncLocal<bool> InCall = new();

    private IConnectionMultiplexer _inner = null!;
    private Action? _failNextUse;
    private int _usesDuringCalls;

    /// <summary>How many times Redis was asked for from within a call (the design says: never).</summary>
    public int UsesDuringCalls => Volatile.Read(ref _usesDuringCalls);

    /// <summary>Wraps <paramref name="inner"/>; <paramref name="observer"/> is the same object, seen as the observer.</summary>
    public static IConnectionMultiplexer Wrap(IConnectionMultiplexer inner, out ObservedConnection observer)
    {
        IConnectionMultiplexer proxy = Create<IConnectionMultiplexer, ObservedConnection>();
        observer = (ObservedConnection)proxy;
        observer._inner = inner;
        return proxy;
    }

    /// <summary>
    /// Marks the rest of the calling async method (and what it awaits or starts) as a call through a breaker. An async local
    /// flows with the call and never into the coordinator's loop, whose context was captured when it started.
    /// </summary>
    public static void EnterCall() => InCall.Value = true;

    /// <summary>The next use of the connection runs <paramref name="first"/>, then throws a <see cref="RedisConnectionException"/>.</summary>
    public void FailNextUse(Action first) => Volatile.Write(ref _failNextUse, first);

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (targetMethod.Name is nameof(IConnectionMultiplexer.GetDatabase) or nameof(IConnectionMultiplexer.GetSubscriber))
        {
            if (InCall.Value)
            {
                Interlocked.Increment(ref _usesDuringCalls);
            }

            if (Interlocked.Exchange(ref _failNextUse, null) is { } first)
            {
                first();
                throw new RedisConnectionException(ConnectionFailureType.SocketClosed, CommandFlags.None, "The test cut the connection.", null, CommandStatus.Unknown);
            }
        }

        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(ex.InnerException);
            throw;
        }
    }
}
