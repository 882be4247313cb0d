using System;
using System.Threading;
using System.Threading.Tasks;
using Grpc.Core;

namespace Breaker;

/// <summary>A response stream that reports to its call's <see cref="CallOutcome"/> when it ends (success) or fails.</summary>
internal sealed class ObservedStreamReader<T>(IAsyncStreamReader<T> inner, CallOutcome outcome) : IAsyncStreamReader<T>
{
    public T Current => inner.Current;

    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        bool more;
        try
        {
            more = await inner.MoveNext(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // A failure in the middle of a stream is the call's one outcome; a later read that throws again records nothing.
            outcome.Failed(ex, cancellationToken.IsCancellationRequested);
            throw;
        }

        if (!more)
        {
            // gRPC ends a response stream without an exception only when the status is OK.
            outcome.Succeeded();
        }

        return more;
    }
}
