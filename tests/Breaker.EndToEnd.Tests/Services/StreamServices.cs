using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace Breaker.EndToEnd.Tests.Services;

/// <summary>
/// A stream of "a" then "b" that the tests script: it can wait for <see cref="Gate"/> before its first element (observing
/// its token), fail before it, or fail after it. It counts calls (the method returning the stream) and finished enumerations.
/// </summary>
public sealed class FeedScript
{
    public int Calls { get; private set; }

    public int Finished { get; private set; }

    public TaskCompletionSource? Gate { get; set; }

    public Exception? FailAtStart { get; set; }

    public Exception? FailOnCall { get; set; }

    public Exception? FailAfterFirst { get; set; }

    public static async IAsyncEnumerable<string> Single(string item)
    {
        await Task.Yield();
        yield return item;
    }

    public IAsyncEnumerable<string> Open(CancellationToken cancellationToken)
    {
        Calls++;
        return FailOnCall is { } onCall ? throw onCall : ProduceAsync(cancellationToken);
    }

    private async IAsyncEnumerable<string> ProduceAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        try
        {
            if (Gate is { } gate)
            {
                await gate.Task.WaitAsync(cancellationToken);
            }

            if (FailAtStart is { } atStart)
            {
                throw atStart;
            }

            yield return "a";
            if (FailAfterFirst is { } afterFirst)
            {
                throw afterFirst;
            }

            yield return "b";
        }
        finally
        {
            Finished++;
        }
    }
}

/// <summary>Guarded async streams on partial methods, one breaker per test so that tests do not share state.</summary>
public sealed partial class FeedService
{
    public FeedScript Script { get; } = new();

    public Exception? FallbackReceived { get; private set; }

    [CircuitBreaker("e2e-stream", ConsecutiveFailureThreshold = 1)]
    public partial IAsyncEnumerable<string> ReadAsync(string topic, CancellationToken cancellationToken);

    [CircuitBreaker("e2e-stream-rejected", ConsecutiveFailureThreshold = 1)]
    public partial IAsyncEnumerable<string> ReadRejectedAsync(string topic, CancellationToken cancellationToken);

    [CircuitBreaker("e2e-stream-fallback", ConsecutiveFailureThreshold = 5, Fallback = nameof(Cached))]
    public partial IAsyncEnumerable<string> ReadWithFallbackAsync(string topic, CancellationToken cancellationToken);

    [CircuitBreaker("e2e-stream-cancel")]
    public partial IAsyncEnumerable<string> ReadCancellableAsync(string topic, CancellationToken cancellationToken);

    [CircuitBreaker("e2e-stream-dispose")]
    public partial IAsyncEnumerable<string> ReadDisposedAsync(string topic);

    [CircuitBreaker("e2e-stream-probe", ConsecutiveFailureThreshold = 1, BreakDurationMs = 1_000, SuccessThreshold = 1)]
    public partial IAsyncEnumerable<string> ReadProbeAsync(string topic, CancellationToken cancellationToken);

    [CircuitBreaker("e2e-stream-timeout", TimeoutMs = 1_000, ConsecutiveFailureThreshold = 5)]
    public partial IAsyncEnumerable<string> ReadTimedAsync(string topic, CancellationToken cancellationToken);

    [CircuitBreaker("e2e-stream-ignores", Ignores = [typeof(ArgumentException)])]
    public partial IAsyncEnumerable<string> ReadIgnoringAsync(string topic, CancellationToken cancellationToken);

    [CircuitBreaker("e2e-stream-static")]
    public static partial IAsyncEnumerable<int> CountAsync(int upTo);

    private IAsyncEnumerable<string> ReadAsyncCore(string topic, CancellationToken cancellationToken) => Script.Open(cancellationToken);

    private IAsyncEnumerable<string> ReadRejectedAsyncCore(string topic, CancellationToken cancellationToken) => Script.Open(cancellationToken);

    private IAsyncEnumerable<string> ReadWithFallbackAsyncCore(string topic, CancellationToken cancellationToken) => Script.Open(cancellationToken);

    private IAsyncEnumerable<string> ReadCancellableAsyncCore(string topic, CancellationToken cancellationToken) => Script.Open(cancellationToken);

    private IAsyncEnumerable<string> ReadDisposedAsyncCore(string topic) => Script.Open(CancellationToken.None);

    private IAsyncEnumerable<string> ReadProbeAsyncCore(string topic, CancellationToken cancellationToken) => Script.Open(cancellationToken);

    private IAsyncEnumerable<string> ReadTimedAsyncCore(string topic, CancellationToken cancellationToken) => Script.Open(cancellationToken);

    private IAsyncEnumerable<string> ReadIgnoringAsyncCore(string topic, CancellationToken cancellationToken) => Script.Open(cancellationToken);

    private static async IAsyncEnumerable<int> CountAsyncCore(int upTo)
    {
        for (int i = 1; i <= upTo; i++)
        {
            await Task.Yield();
            yield return i;
        }
    }

    private IAsyncEnumerable<string> Cached(string topic, CancellationToken cancellationToken, Exception error)
    {
        FallbackReceived = error;
        return FeedScript.Single("cached " + topic);
    }
}

/// <summary>A feed API "owned by another team", with a stream member.</summary>
public interface IFeedApi
{
    IAsyncEnumerable<string> ReadAsync(string topic, CancellationToken cancellationToken);

    IAsyncEnumerable<string> ReadArchiveAsync(string topic, CancellationToken cancellationToken);

    Task<string> DescribeAsync(string topic = "all", int limit = 10, double ratio = 0.5, decimal price = 1.25m, DayOfWeek day = DayOfWeek.Monday, string? tag = null, long? since = null, CancellationToken cancellationToken = default);
}

/// <summary>The implementation the decorator wraps.</summary>
public sealed class FeedBackend : IFeedApi
{
    public FeedScript Script { get; } = new();

    public IAsyncEnumerable<string> ReadAsync(string topic, CancellationToken cancellationToken) => Script.Open(cancellationToken);

    public IAsyncEnumerable<string> ReadArchiveAsync(string topic, CancellationToken cancellationToken) => Script.Open(cancellationToken);

    public Task<string> DescribeAsync(string topic, int limit, double ratio, decimal price, DayOfWeek day, string? tag, long? since, CancellationToken cancellationToken) =>
        Task.FromResult(string.Join("|", topic, limit, ratio, price, day, tag ?? "null", since?.ToString() ?? "null"));
}

/// <summary>A decorator: <c>ReadAsync</c> generated on the decorator's breaker, <c>ReadArchiveAsync</c> customised with a fallback.</summary>
[CircuitBreaker("e2e-feed-decorator", ConsecutiveFailureThreshold = 1)]
public sealed partial class FeedApiBreaker : IFeedApi
{
    [CircuitBreaker("e2e-feed-decorator.archive", ConsecutiveFailureThreshold = 1, Fallback = nameof(EmptyArchive))]
    public partial IAsyncEnumerable<string> ReadArchiveAsync(string topic, CancellationToken cancellationToken);

    private static IAsyncEnumerable<string> EmptyArchive(string topic, CancellationToken cancellationToken) => FeedScript.Single("no archive for " + topic);
}

/// <summary>A second decorator of the same interface, on its own breaker: the default-values test calls it without touching the stream tests' counts.</summary>
[CircuitBreaker("e2e-feed-describe")]
public sealed partial class FeedDescribeBreaker : IFeedApi;
