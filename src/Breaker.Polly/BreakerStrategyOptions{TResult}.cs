using System;
using System.Threading.Tasks;
using Polly;
using Polly.CircuitBreaker;

namespace Breaker;

/// <summary>
/// How <c>AddBreaker</c> puts a Breaker circuit into a Polly pipeline: which registry holds it, its options in code, which
/// outcomes count as failures, and whether calls are keyed (one breaker per host, tenant...).
/// </summary>
/// <typeparam name="TResult">The pipeline's result type.</typeparam>
public class BreakerStrategyOptions<TResult> : ResilienceStrategyOptions
{
    /// <summary>Creates the options with Breaker's defaults; the strategy is named <c>Breaker</c> in Polly's telemetry.</summary>
    public BreakerStrategyOptions() => Name = "Breaker";

    /// <summary>
    /// The registry the breaker (or keyed group) comes from; <see langword="null"/> for <see cref="CircuitBreakerRegistry.Default"/>,
    /// which is also what Breaker.Extensions registers, so configuration, the dashboard and fleet coordination see it.
    /// </summary>
    public CircuitBreakerRegistry? Registry { get; set; }

    /// <summary>
    /// The breaker's options in code, applied when the registry first makes it (like an attribute's values); configuration
    /// registered with <see cref="CircuitBreakerRegistry.Configure"/> overrides them. <see langword="null"/> for the defaults.
    /// </summary>
    public Action<CircuitBreakerOptions>? Defaults { get; set; }

    /// <summary>
    /// Which outcomes count as failures, in Polly's own predicate shape, so a <see cref="PredicateBuilder{TResult}"/> or an
    /// existing <see cref="CircuitBreakerStrategyOptions{TResult}.ShouldHandle"/> fits as it is. An outcome it does not handle
    /// counts as a success. It is not asked about a cancellation by the caller's token, which counts as nothing. The default
    /// handles every exception (and no result).
    /// </summary>
    public Func<CircuitBreakerPredicateArguments<TResult>, ValueTask<bool>> ShouldHandle { get; set; } = HandleExceptions;

    /// <summary>
    /// When set, the strategy keeps one breaker per key in the registry's bounded keyed group named by <c>AddBreaker</c>
    /// (<see cref="CircuitBreakerOptions.MaxKeys"/>, <see cref="CircuitBreakerOptions.KeyIdleTimeout"/>), picking the key from
    /// each execution's context (with Microsoft.Extensions.Http.Resilience, <c>context.GetRequestMessage()?.RequestUri?.Host</c>).
    /// A <see langword="null"/> key uses the group's shared breaker. Called once per execution: keep it quick.
    /// </summary>
    public Func<ResilienceContext, string?>? Key { get; set; }

    private static ValueTask<bool> HandleExceptions(CircuitBreakerPredicateArguments<TResult> args) => new(args.Outcome.Exception is not null);
}
