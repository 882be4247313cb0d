using System.Threading;
using System.Threading.Tasks;
using Grpc.Core;

namespace Breaker.Grpc.Tests;

/// <summary>Ends each call as its <see cref="Order"/> says: after some replies, with a status, pushback trailers, or never.</summary>
internal sealed class ProbeService(CallCounter counter) : Probe.ProbeBase
{
    public override async Task<Reply> Unary(Order request, ServerCallContext context)
    {
        Arrive(context);
        await Finish(request, context);
        return new Reply { Index = 0 };
    }

    public override async Task ServerStream(Order request, IServerStreamWriter<Reply> responseStream, ServerCallContext context)
    {
        Arrive(context);
        for (int i = 0; i < request.Replies; i++)
        {
            await responseStream.WriteAsync(new Reply { Index = i });
        }

        await Finish(request, context);
    }

    public override async Task<Reply> ClientStream(IAsyncStreamReader<Order> requestStream, ServerCallContext context)
    {
        Arrive(context);
        int received = 0;
        await foreach (Order order in requestStream.ReadAllAsync(context.CancellationToken))
        {
            received++;
            await Finish(order, context);
        }

        return new Reply { Index = received };
    }

    public override async Task Duplex(IAsyncStreamReader<Order> requestStream, IServerStreamWriter<Reply> responseStream, ServerCallContext context)
    {
        Arrive(context);
        int index = 0;
        await foreach (Order order in requestStream.ReadAllAsync(context.CancellationToken))
        {
            for (int i = 0; i < order.Replies; i++)
            {
                await responseStream.WriteAsync(new Reply { Index = index++ });
            }

            await Finish(order, context);
        }
    }

    private static async Task Finish(Order order, ServerCallContext context)
    {
        if (order.Hang)
        {
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        }

        if (order.Status != 0)
        {
            var trailers = new Metadata();
            foreach (string value in order.Pushback)
            {
                trailers.Add("grpc-retry-pushback-ms", value);
            }

            throw new RpcException(new Status((StatusCode)order.Status, "the probe server was told to fail"), trailers);
        }
    }

    private void Arrive(ServerCallContext context) => counter.Count(context.RequestHeaders.GetValue("x-key") ?? "");
}
