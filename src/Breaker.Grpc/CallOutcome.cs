using System;
using System.Threading;

namespace Breaker;

/// <summary>
/// The one outcome of one admitted gRPC call whose end comes later (async unary and streaming calls). Whichever of its ends
/// comes first records it (the response, the stream's end or failure, the caller's dispose); the others change nothing, so a
/// call is counted once and its permit is always given back.
/// </summary>
internal sealed class CallOutcome(CircuitBreakerInterceptor interceptor, CircuitPermit permit, CancellationToken callerToken)
{
    private int _recorded;

    /// <summary>The call ended well: its response arrived, or its response stream ended with status OK.</summary>
    public void Succeeded()
    {
        if (Claim())
        {
            permit.RecordSuccess();
        }
    }

    /// <summary>The call ended with <paramref name="exception"/>; <paramref name="readCancelled"/> when the token of the read that saw it was cancelled.</summary>
    public void Failed(Exception exception, bool readCancelled = false)
    {
        if (Claim())
        {
            interceptor.RecordFailure(in permit, exception, readCancelled || callerToken.IsCancellationRequested);
        }
    }

    /// <summary>The caller disposed the call before it ended: no verdict.</summary>
    public void Abandoned()
    {
        if (Claim())
        {
            permit.RecordIgnored();
        }
    }

    private bool Claim() => Interlocked.Exchange(ref _recorded, 1) == 0;
}
