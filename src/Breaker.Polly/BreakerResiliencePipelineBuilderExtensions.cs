using System;
using System.Diagnostics.CodeAnalysis;
using Breaker;

namespace Polly;

/// <summary>Adds a Breaker circuit to a Polly v8 pipeline, as one of its strategies.</summary>
public static class BreakerResiliencePipelineBuilderExtensions
{
    // Polly validates strategy options through data annotations, which trimming may strip. BreakerStrategyOptions carries
    // none (its checks are the breaker's own, in CircuitBreakerOptions.Validate), so nothing the validation needs can go.
    private const string TrimmingJustification = "BreakerStrategyOptions has no data-annotation attributes for Polly's validation to find.";

    /// <summary>
    /// Guards what comes after this strategy in the pipeline with the breaker called <paramref name="name"/> from
    /// <see cref="CircuitBreakerRegistry.Default"/>, made on first use with <paramref name="configure"/>'s options. Every
    /// exception counts as a failure except a cancellation by the caller; a rejection is a <see cref="BrokenCircuitException"/>.
    /// </summary>
    /// <param name="builder">The pipeline's builder.</param>
    /// <param name="name">The breaker's name in the registry, its metrics, the dashboard and configuration.</param>
    /// <param name="configure">The breaker's options in code; configuration registered for <paramref name="name"/> overrides them.</param>
    /// <returns>The builder, for chaining.</returns>
    public static ResiliencePipelineBuilder AddBreaker(this ResiliencePipelineBuilder builder, string name, Action<CircuitBreakerOptions>? configure = null) =>
        builder.AddBreaker(name, new BreakerStrategyOptions { Defaults = configure });

    /// <summary>
    /// Guards what comes after this strategy in the pipeline with the breaker (or keyed group) called <paramref name="name"/>,
    /// judging outcomes and picking keys as <paramref name="options"/> say. A rejection is a <see cref="BrokenCircuitException"/>.
    /// </summary>
    /// <param name="builder">The pipeline's builder.</param>
    /// <param name="name">The breaker's name (keyed: the group's name, the start of each key's breaker name).</param>
    /// <param name="options">The strategy's options.</param>
    /// <returns>The builder, for chaining.</returns>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = TrimmingJustification)]
    public static ResiliencePipelineBuilder AddBreaker(this ResiliencePipelineBuilder builder, string name, BreakerStrategyOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(options);
        return builder.AddStrategy(_ => new BreakerResilienceStrategy<object>(name, options), options);
    }

    /// <inheritdoc cref="AddBreaker(ResiliencePipelineBuilder, string, Action{CircuitBreakerOptions}?)"/>
    /// <typeparam name="TResult">The pipeline's result type.</typeparam>
    public static ResiliencePipelineBuilder<TResult> AddBreaker<TResult>(this ResiliencePipelineBuilder<TResult> builder, string name, Action<CircuitBreakerOptions>? configure = null) =>
        builder.AddBreaker(name, new BreakerStrategyOptions<TResult> { Defaults = configure });

    /// <inheritdoc cref="AddBreaker(ResiliencePipelineBuilder, string, BreakerStrategyOptions)"/>
    /// <typeparam name="TResult">The pipeline's result type.</typeparam>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = TrimmingJustification)]
    public static ResiliencePipelineBuilder<TResult> AddBreaker<TResult>(this ResiliencePipelineBuilder<TResult> builder, string name, BreakerStrategyOptions<TResult> options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(options);
        return builder.AddStrategy(_ => new BreakerResilienceStrategy<TResult>(name, options), options);
    }
}
