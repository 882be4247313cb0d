using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Grpc.Tests;

public sealed class ConcurrentCallTests(ProbeServer server) : IClassFixture<ProbeServer>
{
    private const int Workers = 4;
    private const int CallsPerWorker = 40;

    [Fact]
    public async Task Calls_of_every_kind_on_many_threads_are_each_counted_once_by_how_they_ended()
    {
        const string key = "concurrent";
        CircuitBreaker breaker = Calls.Breaker(key, new FakeTimeProvider(), o =>
        {
            // Never opens: every call runs, so each one's outcome can be counted.
            o.ConsecutiveFailureThreshold = 0;
            o.MinimumThroughput = 1_000;
            o.SlidingWindowSize = 1_000;
        });
        Probe.ProbeClient client = server.Client(new CircuitBreakerInterceptor(breaker));

        await Task.WhenAll(Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
        {
            for (int i = 0; i < CallsPerWorker; i++)
            {
                await Call(client, key, i % 5);
            }
        }))).WaitAsync(ProbeServer.Ceiling);

        // Per five calls: two successes (unary, duplex), two failures (unary, a stream failing after replies), one disposed early.
        int rounds = Workers * CallsPerWorker / 5;
        CircuitBreakerMetrics metrics = breaker.GetMetrics();
        Assert.Equal((2L * rounds, 2L * rounds, 1L * rounds), (metrics.SuccessfulCalls, metrics.FailedCalls, metrics.IgnoredCalls));
        Assert.Equal(Workers * CallsPerWorker, metrics.TotalCalls);
        Assert.Equal(Workers * CallsPerWorker, server.Arrivals(key));
    }

    private static async Task Call(Probe.ProbeClient client, string key, int kind)
    {
        switch (kind)
        {
            case 0:
                await client.UnaryAsync(new Order(), Calls.For(key));
                break;
            case 1:
                await Assert.ThrowsAsync<RpcException>(async () => await client.UnaryAsync(Calls.Fail(StatusCode.Internal), Calls.For(key)));
                break;
            case 2:
                using (AsyncServerStreamingCall<Reply> failing = client.ServerStream(new Order { Replies = 2, Status = (int)StatusCode.Unavailable }, Calls.For(key)))
                {
                    Assert.True(await failing.ResponseStream.MoveNext(CancellationToken.None));
                    Assert.True(await failing.ResponseStream.MoveNext(CancellationToken.None));
                    await Assert.ThrowsAsync<RpcException>(() => failing.ResponseStream.MoveNext(CancellationToken.None));
                }

                break;
            case 3:
                using (AsyncServerStreamingCall<Reply> left = client.ServerStream(new Order { Replies = 2 }, Calls.For(key)))
                {
                    Assert.True(await left.ResponseStream.MoveNext(CancellationToken.None));
                }

                break;
            default:
                using (AsyncDuplexStreamingCall<Order, Reply> duplex = client.Duplex(Calls.For(key)))
                {
                    await duplex.RequestStream.WriteAsync(new Order { Replies = 1 });
                    await duplex.RequestStream.CompleteAsync();
                    Assert.True(await duplex.ResponseStream.MoveNext(CancellationToken.None));
                    Assert.False(await duplex.ResponseStream.MoveNext(CancellationToken.None));
                }

                break;
        }
    }
}
