using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Breaker;

/// <summary>
/// Guards a gRPC client's calls with a circuit breaker. Each call asks for permission before it is sent; an open circuit
/// rejects it without sending it (an <see cref="RpcException"/> with <see cref="StatusCode.Unavailable"/>, or the method's
/// fallback). The outcome is recorded once, when the call ends: a unary call when its response or error arrives, a
/// client-streaming call when its response arrives, a server-streaming or duplex call when its response stream ends or fails.
/// A call its caller cancels or disposes early counts as nothing. docs/grpc.md has the details.
/// </summary>
public sealed class CircuitBreakerInterceptor : Interceptor
{
    private readonly Func<string, CircuitBreaker> _selectBreaker;
    private readonly Func<Status, bool>? _isFailure;
    private readonly bool _honorRetryPushback;
    private readonly Dictionary<string, Delegate> _fallbacks;

    /// <summary>Creates an interceptor that guards every call with <paramref name="breaker"/>.</summary>
    /// <param name="breaker">The breaker.</param>
    /// <param name="options">How calls are judged and rejections answered; <see langword="null"/> for the defaults.</param>
    public CircuitBreakerInterceptor(CircuitBreaker breaker, GrpcCircuitBreakerOptions? options = null)
        : this(SingleBreaker(breaker), options)
    {
    }

    /// <summary>Creates an interceptor that guards each call with the breaker <paramref name="selectBreaker"/> picks for its method.</summary>
    /// <param name="selectBreaker">Picks the breaker from the method's full name (<c>/package.Service/Method</c>); called once per call.</param>
    /// <param name="options">How calls are judged and rejections answered; <see langword="null"/> for the defaults.</param>
    public CircuitBreakerInterceptor(Func<string, CircuitBreaker> selectBreaker, GrpcCircuitBreakerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(selectBreaker);
        _selectBreaker = selectBreaker;
        _isFailure = options?.IsFailure;
        _honorRetryPushback = options?.HonorRetryPushback ?? true;
        _fallbacks = options is null ? [] : options.Fallbacks.ToDictionary(static pair => pair.Key, static pair => pair.Value, StringComparer.Ordinal);
    }

    /// <summary>
    /// Whether a status counts as a failure by default: <c>Unavailable</c>, <c>DeadlineExceeded</c>, <c>ResourceExhausted</c>,
    /// <c>Internal</c>, <c>Unknown</c> or <c>Aborted</c> (the server or the way to it is in trouble). The rest, such as
    /// <c>InvalidArgument</c>, <c>NotFound</c> or <c>PermissionDenied</c>, are answers of a healthy server.
    /// </summary>
    /// <param name="statusCode">The call's status code.</param>
    /// <returns><see langword="true"/> for the codes above.</returns>
    public static bool IsFailureStatus(StatusCode statusCode) =>
        statusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.ResourceExhausted
            or StatusCode.Internal or StatusCode.Unknown or StatusCode.Aborted;

    /// <inheritdoc/>
    public override TResponse BlockingUnaryCall<TRequest, TResponse>(
        TRequest request,
        ClientInterceptorContext<TRequest, TResponse> context,
        BlockingUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        CircuitBreaker breaker = Resolve(context.Method);
        CircuitPermit permit = breaker.TryAcquire();
        if (!permit.IsGranted)
        {
            return Fallback(breaker, context.Method, request);
        }

        TResponse response;
        try
        {
            response = continuation(request, WithTimeout(breaker, context));
        }
        catch (Exception ex)
        {
            RecordFailure(in permit, ex, context.Options.CancellationToken.IsCancellationRequested);
            throw;
        }

        permit.RecordSuccess();
        return response;
    }

    /// <inheritdoc/>
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request,
        ClientInterceptorContext<TRequest, TResponse> context,
        AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        CircuitBreaker breaker = Resolve(context.Method);
        CircuitPermit permit = breaker.TryAcquire();
        if (!permit.IsGranted)
        {
            TResponse response = Fallback(breaker, context.Method, request);
            return new AsyncUnaryCall<TResponse>(
                Task.FromResult(response), Task.FromResult(Metadata.Empty), static () => Status.DefaultSuccess, static () => Metadata.Empty, static () => { });
        }

        AsyncUnaryCall<TResponse> call = Start(in permit, context.Options.CancellationToken, (continuation, request, context: WithTimeout(breaker, context)), static s => s.continuation(s.request, s.context));

        var outcome = new CallOutcome(this, permit, context.Options.CancellationToken);
        return new AsyncUnaryCall<TResponse>(
            Observe(call.ResponseAsync, outcome), call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, Dispose(outcome, call));
    }

    /// <inheritdoc/>
    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(
        ClientInterceptorContext<TRequest, TResponse> context,
        AsyncClientStreamingCallContinuation<TRequest, TResponse> continuation)
    {
        CircuitPermit permit = Admit(context.Method);
        AsyncClientStreamingCall<TRequest, TResponse> call = Start(in permit, context.Options.CancellationToken, (continuation, context), static s => s.continuation(s.context));

        var outcome = new CallOutcome(this, permit, context.Options.CancellationToken);
        return new AsyncClientStreamingCall<TRequest, TResponse>(
            call.RequestStream, Observe(call.ResponseAsync, outcome), call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, Dispose(outcome, call));
    }

    /// <inheritdoc/>
    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(
        TRequest request,
        ClientInterceptorContext<TRequest, TResponse> context,
        AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation)
    {
        CircuitPermit permit = Admit(context.Method);
        AsyncServerStreamingCall<TResponse> call = Start(in permit, context.Options.CancellationToken, (continuation, request, context), static s => s.continuation(s.request, s.context));

        var outcome = new CallOutcome(this, permit, context.Options.CancellationToken);
        return new AsyncServerStreamingCall<TResponse>(
            new ObservedStreamReader<TResponse>(call.ResponseStream, outcome), call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, Dispose(outcome, call));
    }

    /// <inheritdoc/>
    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(
        ClientInterceptorContext<TRequest, TResponse> context,
        AsyncDuplexStreamingCallContinuation<TRequest, TResponse> continuation)
    {
        CircuitPermit permit = Admit(context.Method);
        AsyncDuplexStreamingCall<TRequest, TResponse> call = Start(in permit, context.Options.CancellationToken, (continuation, context), static s => s.continuation(s.context));

        var outcome = new CallOutcome(this, permit, context.Options.CancellationToken);
        return new AsyncDuplexStreamingCall<TRequest, TResponse>(
            call.RequestStream, new ObservedStreamReader<TResponse>(call.ResponseStream, outcome), call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, Dispose(outcome, call));
    }

    /// <summary>
    /// Records a call that ended with <paramref name="exception"/>: nothing when the caller cancelled it (or a status
    /// <c>Cancelled</c> the classifier does not count), a failure when its status counts as one (with the server's pushback),
    /// otherwise a success, since the server answered.
    /// </summary>
    internal void RecordFailure(in CircuitPermit permit, Exception exception, bool callerCancelled)
    {
        // OperationCanceledException: the client was told to throw it on cancellation (ThrowOperationCanceledOnCancellation).
        if (exception is OperationCanceledException || (callerCancelled && exception is RpcException { StatusCode: StatusCode.Cancelled }))
        {
            permit.RecordIgnored();
            return;
        }

        if (exception is not RpcException rpc)
        {
            // Not a status from the server: the call broke on the way (the gRPC client turns most of these into statuses).
            permit.RecordFailure(exception, IsTransportFailure(exception) ? FailureKind.ConnectionError : FailureKind.Exception);
            return;
        }

        bool failed;
        try
        {
            failed = _isFailure is null ? IsFailureStatus(rpc.StatusCode) : _isFailure(rpc.Status);
        }
        catch (Exception ex)
        {
            // A classifier that throws must not leak the permit; the call's outcome is then unknown.
            permit.RecordIgnored();
            throw new InvalidOperationException("GrpcCircuitBreakerOptions.IsFailure threw an exception.", ex);
        }

        if (failed)
        {
            permit.RecordFailure(rpc, KindOf(rpc), _honorRetryPushback ? RetryPushback.Requested(rpc.Trailers) : TimeSpan.Zero);
        }
        else if (rpc.StatusCode == StatusCode.Cancelled)
        {
            // Cancelled, but not by this caller (a server or proxy gave up on it): it says nothing about health either way.
            permit.RecordIgnored();
        }
        else
        {
            permit.RecordSuccess();
        }
    }

    /// <summary>
    /// A unary call gets the breaker's <see cref="CircuitBreakerOptions.Timeout"/> as its deadline when the caller set none or
    /// a later one, so a call past it ends with <c>DeadlineExceeded</c> (a <see cref="FailureKind.Timeout"/>). gRPC deadlines
    /// are instants on the wall clock, so this one is read from it, not from the breaker's <see cref="TimeProvider"/>.
    /// Streaming calls keep their own deadline: a stream may rightly outlive any single call's timeout.
    /// </summary>
    private static ClientInterceptorContext<TRequest, TResponse> WithTimeout<TRequest, TResponse>(CircuitBreaker breaker, ClientInterceptorContext<TRequest, TResponse> context)
        where TRequest : class
        where TResponse : class
    {
        TimeSpan timeout = breaker.Timeout;
        if (timeout <= TimeSpan.Zero)
        {
            return context;
        }

        DateTime deadline = DateTime.UtcNow + timeout;
        return context.Options.Deadline is DateTime own && own <= deadline
            ? context
            : new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, context.Options.WithDeadline(deadline));
    }

    private static FailureKind KindOf(RpcException rpc) => rpc.StatusCode switch
    {
        StatusCode.DeadlineExceeded => FailureKind.Timeout,
        _ when rpc.Status.DebugException is { } cause && IsTransportFailure(cause) => FailureKind.ConnectionError,
        _ => FailureKind.Exception,
    };

    private static bool IsTransportFailure(Exception exception) => exception is HttpRequestException or SocketException or IOException;

    private static Func<string, CircuitBreaker> SingleBreaker(CircuitBreaker breaker)
    {
        ArgumentNullException.ThrowIfNull(breaker);
        return _ => breaker;
    }

    private static async Task<TResponse> Observe<TResponse>(Task<TResponse> response, CallOutcome outcome)
    {
        try
        {
            TResponse result = await response.ConfigureAwait(false);
            outcome.Succeeded();
            return result;
        }
        catch (Exception ex)
        {
            outcome.Failed(ex);
            throw;
        }
    }

    /// <summary>
    /// Starts an admitted call; one that fails to start records its failure. A static lambda over a state tuple, so starting
    /// a call allocates nothing more than the call itself.
    /// </summary>
    private TCall Start<TState, TCall>(in CircuitPermit permit, CancellationToken callerToken, TState state, Func<TState, TCall> start)
    {
        try
        {
            return start(state);
        }
        catch (Exception ex)
        {
            RecordFailure(in permit, ex, callerToken.IsCancellationRequested);
            throw;
        }
    }

    private static Action Dispose(CallOutcome outcome, IDisposable call) => () =>
    {
        // Before the call's own dispose: the cancellation it causes must find the outcome already recorded as abandoned.
        outcome.Abandoned();
        call.Dispose();
    };

    // In a test's CircuitBreakerScope, the scope's breaker of the same name (the shared one otherwise).
    private CircuitBreaker Resolve(IMethod method) => CircuitBreakerScope.Resolve(_selectBreaker(method.FullName));

    /// <summary>Permission for a streaming call, which has no fallback: a rejection throws.</summary>
    private CircuitPermit Admit(IMethod method)
    {
        CircuitBreaker breaker = Resolve(method);
        CircuitPermit permit = breaker.TryAcquire();
        return permit.IsGranted ? permit : throw Rejection(breaker.CreateRejectedException(), method);
    }

    private TResponse Fallback<TRequest, TResponse>(CircuitBreaker breaker, Method<TRequest, TResponse> method, TRequest request)
    {
        BrokenCircuitException rejection = breaker.CreateRejectedException();
        if (!_fallbacks.TryGetValue(method.FullName, out Delegate? registered))
        {
            throw Rejection(rejection, method);
        }

        if (registered is not Func<TRequest, BrokenCircuitException, TResponse> fallback)
        {
            throw new InvalidOperationException(
                $"The fallback registered for {method.FullName} does not take {typeof(TRequest).Name} and return {typeof(TResponse).Name}.");
        }

        TResponse response;
        try
        {
            response = fallback(request, rejection);
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException($"The fallback for {method.FullName} threw an exception while answering a rejection by circuit breaker '{breaker.Name}'.", ex);
        }

        breaker.RecordFallback();
        return response;
    }

    private static RpcException Rejection(BrokenCircuitException rejection, IMethod method) =>
        new(new Status(StatusCode.Unavailable, $"{rejection.Message} The call to {method.FullName} was not sent.", rejection));
}
