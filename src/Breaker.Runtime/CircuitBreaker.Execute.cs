using System;
using System.Threading;
using System.Threading.Tasks;
using Breaker.Parts;

namespace Breaker;

// Execute and ExecuteAsync: the breaker for code that does not use the generator. Each overload takes its state as an
// argument so that a static lambda needs no closure. Like a generated call, a call through a shared breaker in a
// CircuitBreakerScope's flow runs through the scope's breaker of the same name.
public sealed partial class CircuitBreaker
{
    /// <summary>
    /// Raised when <see cref="CircuitBreakerOptions.ShouldHandle"/> throws while judging an exception from <c>Execute</c> or
    /// <c>ExecuteAsync</c>. The caller gets the call's own exception, and the call counts as a failure (the verdict without
    /// <c>ShouldHandle</c>); Breaker.Extensions logs the fault as an error.
    /// </summary>
    public event EventHandler<ShouldHandleFailedEventArgs>? ShouldHandleFailed
    {
        add => EventHandlers.Change(ref Handlers().ShouldHandleFailed, value, remove: false);
        remove => EventHandlers.Change(ref Handlers().ShouldHandleFailed, value, remove: true);
    }

    /// <summary>Runs <paramref name="action"/> through the breaker.</summary>
    /// <exception cref="BrokenCircuitException">The circuit rejected the call.</exception>
    public TResult Execute<TState, TResult>(Func<TState, TResult> action, TState state)
    {
        ArgumentNullException.ThrowIfNull(action);
        CircuitBreaker breaker = CircuitBreakerScope.Resolve(this);
        if (breaker != this)
        {
            return breaker.Execute(action, state);
        }

        CircuitPermit permit = Admit();
        TResult result;
        try
        {
            result = action(state);
        }
        catch (Exception exception)
        {
            Classify(in permit, exception, CancellationToken.None, timeoutToken: CancellationToken.None);
            throw;
        }

        permit.RecordSuccess();
        return result;
    }

    /// <summary>Runs <paramref name="action"/> through the breaker.</summary>
    /// <exception cref="BrokenCircuitException">The circuit rejected the call.</exception>
    public void Execute<TState>(Action<TState> action, TState state)
    {
        ArgumentNullException.ThrowIfNull(action);
        Execute(static s => { s.Action(s.State); return true; }, (Action: action, State: state));
    }

    /// <summary>Runs <paramref name="action"/> through the breaker.</summary>
    /// <exception cref="BrokenCircuitException">The circuit rejected the call.</exception>
    public TResult Execute<TResult>(Func<TResult> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return Execute(static a => a(), action);
    }

    /// <summary>Runs <paramref name="action"/> through the breaker.</summary>
    /// <exception cref="BrokenCircuitException">The circuit rejected the call.</exception>
    public void Execute(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Execute(static a => { a(); return true; }, action);
    }

    /// <summary>
    /// Runs <paramref name="action"/> through the breaker, with <see cref="CircuitBreakerOptions.Timeout"/> applied to the
    /// token it receives. Cancellation by <paramref name="cancellationToken"/> propagates and is not a failure.
    /// </summary>
    /// <exception cref="BrokenCircuitException">The circuit rejected the call.</exception>
    /// <exception cref="TimeoutException">The call ran past the timeout.</exception>
    public async ValueTask<TResult> ExecuteAsync<TState, TResult>(
        Func<TState, CancellationToken, ValueTask<TResult>> action,
        TState state,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        cancellationToken.ThrowIfCancellationRequested();
        CircuitBreaker breaker = CircuitBreakerScope.Resolve(this);
        if (breaker != this)
        {
            return await breaker.ExecuteAsync(action, state, cancellationToken).ConfigureAwait(false);
        }

        TimeSpan timeout = _settings.Options.Timeout;
        CircuitPermit permit = Admit();
#if NET8_0_OR_GREATER
        using CancellationTokenSource? timeoutSource = timeout > TimeSpan.Zero ? new CancellationTokenSource(timeout, _timeProvider) : null;
#else
        using CancellationTokenSource? timeoutSource = timeout > TimeSpan.Zero ? _timeProvider.CreateCancellationTokenSource(timeout) : null;
#endif
        using CancellationTokenSource? linked = timeoutSource is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        TResult result;
        try
        {
            result = await action(state, linked?.Token ?? cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            CancellationToken timeoutToken = timeoutSource?.Token ?? CancellationToken.None;
            FailureKind? kind = Classify(in permit, exception, cancellationToken, timeoutToken);

            // Only our own timeout becomes a TimeoutException; a TimeoutException the call threw itself propagates as is.
            if (kind == FailureKind.Timeout && exception is OperationCanceledException)
            {
                throw CreateTimeoutException(timeout, exception);
            }

            throw;
        }

        permit.RecordSuccess();
        return result;
    }

    /// <inheritdoc cref="ExecuteAsync{TState, TResult}(Func{TState, CancellationToken, ValueTask{TResult}}, TState, CancellationToken)"/>
    public async ValueTask ExecuteAsync<TState>(
        Func<TState, CancellationToken, ValueTask> action,
        TState state,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        await ExecuteAsync(
            static async (s, ct) =>
            {
                await s.Action(s.State, ct).ConfigureAwait(false);
                return true;
            },
            (Action: action, State: state),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc cref="ExecuteAsync{TState, TResult}(Func{TState, CancellationToken, ValueTask{TResult}}, TState, CancellationToken)"/>
    public ValueTask<TResult> ExecuteAsync<TResult>(Func<CancellationToken, ValueTask<TResult>> action, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        return ExecuteAsync(static (a, ct) => a(ct), action, cancellationToken);
    }

    private CircuitPermit Admit()
    {
        CircuitPermit permit = TryAcquire();
        return permit.IsGranted ? permit : throw CreateRejectedException();
    }

    /// <summary>Records what an exception means and returns the failure kind, or null when it is not a failure.</summary>
    private FailureKind? Classify(in CircuitPermit permit, Exception exception, CancellationToken callerToken, CancellationToken timeoutToken)
    {
        if (exception is OperationCanceledException && callerToken.IsCancellationRequested)
        {
            permit.RecordIgnored();
            return null;
        }

        if (exception is OperationCanceledException && timeoutToken.IsCancellationRequested)
        {
            permit.RecordFailure(exception, FailureKind.Timeout);
            return FailureKind.Timeout;
        }

        // Like the generator's Handles: an exception the breaker does not handle propagates and counts as a success.
        if (!ShouldHandle(exception))
        {
            permit.RecordSuccess();
            return null;
        }

        FailureKind kind = exception is TimeoutException ? FailureKind.Timeout : FailureKind.Exception;
        permit.RecordFailure(exception, kind);
        return kind;
    }

    // A predicate that throws must neither hide the call's exception nor leak the permit: the call gets the verdict it
    // would have without ShouldHandle (a failure), and the predicate's fault goes to ShouldHandleFailed.
    private bool ShouldHandle(Exception exception)
    {
        Func<Exception, bool>? shouldHandle = _settings.Options.ShouldHandle;
        if (shouldHandle is null)
        {
            return true;
        }

        try
        {
            return shouldHandle(exception);
        }
        catch (Exception error)
        {
            if (_handlers?.ShouldHandleFailed is { } handler)
            {
                Raise(handler, new ShouldHandleFailedEventArgs(this, exception, error));
            }

            return true;
        }
    }
}
