using System;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading.Tasks;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Breaker;

/// <summary>
/// A Breaker circuit as a Polly strategy: admission before the inner pipeline runs, the outcome recorded when it ends. A
/// rejection comes back as an outcome carrying Breaker's <see cref="BrokenCircuitException"/>, without running the callback.
/// </summary>
internal sealed class BreakerResilienceStrategy<TResult> : ResilienceStrategy<TResult>
{
    private readonly CircuitBreaker? _breaker;
    private readonly CircuitBreakerKeys<string>? _keys;
    private readonly Func<ResilienceContext, string?>? _key;
    private readonly Func<CircuitBreakerPredicateArguments<TResult>, ValueTask<bool>> _shouldHandle;

    public BreakerResilienceStrategy(string name, BreakerStrategyOptions<TResult> options)
    {
        CircuitBreakerRegistry registry = options.Registry ?? CircuitBreakerRegistry.Default;
        _shouldHandle = options.ShouldHandle ?? throw new ArgumentException("BreakerStrategyOptions.ShouldHandle must not be null.", nameof(options));
        _key = options.Key;

        // Fetched once, when Polly builds the pipeline (again on each reload): the registry keeps the state between builds.
        if (_key is null)
        {
            _breaker = registry.GetOrAdd(name, options.Defaults);
        }
        else
        {
            _keys = registry.GetOrAddGroup<string>(name, options.Defaults);
        }
    }

    protected override async ValueTask<Outcome<TResult>> ExecuteCore<TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<TResult>>> callback,
        ResilienceContext context,
        TState state)
    {
        // In a test's CircuitBreakerScope, the scope's breaker of the same name (the shared one otherwise).
        CircuitBreaker breaker = CircuitBreakerScope.Resolve(_breaker ?? _keys!.GetBreaker(_key!(context)));
        CircuitPermit permit = breaker.TryAcquire();
        if (!permit.IsGranted)
        {
            // Polly's convention: a strategy returns its rejection as an outcome, and only the caller's Execute throws it.
            return Outcome.FromException<TResult>(breaker.CreateRejectedException());
        }

        Outcome<TResult> outcome;
        try
        {
            outcome = await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
        }
        catch (Exception ex)
        {
            // Polly's own strategies never throw from a callback, but a hand-written one may: the permit is still returned.
            outcome = Outcome.FromException<TResult>(ex);
        }

        if (outcome.Exception is OperationCanceledException && context.CancellationToken.IsCancellationRequested)
        {
            // The caller gave up: no verdict about the dependency, and a probe's slot goes back.
            permit.RecordIgnored();
            return outcome;
        }

        bool handled;
        try
        {
            handled = await _shouldHandle(new CircuitBreakerPredicateArguments<TResult>(context, outcome)).ConfigureAwait(context.ContinueOnCapturedContext);
        }
        catch (Exception ex)
        {
            // A predicate that throws must not leak the permit; the call's outcome is then unknown, and its result is dropped.
            permit.RecordIgnored();
            (outcome.Result as IDisposable)?.Dispose();
            return Outcome.FromException<TResult>(new InvalidOperationException(
                $"BreakerStrategyOptions.ShouldHandle of circuit breaker '{breaker.Name}' threw an exception.", ex));
        }

        if (handled)
        {
            permit.RecordFailure(outcome.Exception, KindOf(outcome));
        }
        else
        {
            permit.RecordSuccess();
        }

        return outcome;
    }

    /// <summary>Why a handled outcome failed, for Breaker's metrics and events.</summary>
    private static FailureKind KindOf(Outcome<TResult> outcome) => outcome.Exception switch
    {
        null => outcome.Result is HttpResponseMessage ? FailureKind.HttpError : FailureKind.Exception,
        TimeoutRejectedException or TimeoutException => FailureKind.Timeout,
        HttpRequestException or SocketException => FailureKind.ConnectionError,
        _ => FailureKind.Exception,
    };
}
