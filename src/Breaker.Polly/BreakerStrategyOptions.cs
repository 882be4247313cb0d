namespace Breaker;

/// <summary>
/// <see cref="BreakerStrategyOptions{TResult}"/> for a non-generic <see cref="Polly.ResiliencePipelineBuilder"/>, whose
/// predicates see every result as an <see cref="object"/> (like Polly's own <c>CircuitBreakerStrategyOptions</c>).
/// </summary>
public sealed class BreakerStrategyOptions : BreakerStrategyOptions<object>
{
}
