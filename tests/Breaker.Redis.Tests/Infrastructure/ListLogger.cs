using System;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Breaker.Redis.Tests.Infrastructure;

/// <summary>Keeps what a coordinator logs, so a failing test can show it.</summary>
public sealed class ListLogger : ILogger<RedisFleetCoordinator>
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Lines.Enqueue($"{logLevel}: {formatter(state, exception)}{(exception is null ? "" : " " + exception.GetType().Name + ": " + exception.Message)}");
}
