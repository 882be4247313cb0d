using System;
using System.Diagnostics;

namespace Breaker;

/// <summary>
/// Guards a <c>partial</c> method with a circuit breaker: Breaker's source generator writes the method's body,
/// which calls the implementation (<c>MethodName</c> + <c>Core</c> by default) through the named breaker.
/// On a <c>partial</c> class that implements one interface, it makes the class a decorator: the generator implements
/// every interface member the class does not write itself, forwarding to an inner instance through the breaker.
/// </summary>
/// <remarks>
/// Methods that use the same <see cref="Name"/> share one breaker. Values given here are defaults: configuration
/// registered at run time for the same name overrides them. See docs/decorators.md for decorators.
/// </remarks>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
[Conditional("BREAKER_KEEP_ATTRIBUTES")]
public sealed class CircuitBreakerAttribute : Attribute
{
    /// <summary>Creates the attribute for the breaker called <paramref name="name"/>.</summary>
    /// <param name="name">The breaker's name in the registry; methods with the same name share one breaker.</param>
    public CircuitBreakerAttribute(string name) => Name = name;

    /// <summary>The breaker's name in <c>CircuitBreakerRegistry</c>; configuration is keyed by it.</summary>
    public string Name { get; }

    /// <summary>
    /// The method called instead when the guarded call fails or the circuit rejects it (use <c>nameof</c>).
    /// It takes no parameters, the guarded method's parameters, those plus one trailing exception parameter,
    /// or the exception parameter alone; without a fallback, failures propagate and rejections throw.
    /// </summary>
    public string? Fallback { get; set; }

    /// <summary>The method that does the real work (use <c>nameof</c>). Default: the guarded method's name + <c>Core</c>.</summary>
    public string? Implementation { get; set; }

    /// <summary>
    /// A parameter of the method (use <c>nameof</c>) whose value picks the breaker: one breaker per distinct value (per
    /// tenant, host, shard), named <c>Name:value</c>, all with these settings. The group is bounded (1,000 keys by default,
    /// idle keys evicted; configured under <see cref="Name"/>). The parameter is passed by value and its type has value
    /// equality: a string, a number, an enum, a <c>Guid</c>, a record, a type implementing <c>IEquatable&lt;T&gt;</c>.
    /// </summary>
    public string? Key { get; set; }

    /// <summary>The failure ratio, in (0, 1], at which the circuit opens. Default 0.5.</summary>
    public double FailureRatio { get; set; } = BreakerDefaults.FailureRatio;

    /// <summary>How many calls the window must hold before a ratio can open the circuit. Default 10.</summary>
    public int MinimumThroughput { get; set; } = BreakerDefaults.MinimumThroughput;

    /// <summary>The number of most recent calls a count-based window holds. Default 100 calls.</summary>
    public int SlidingWindowSize { get; set; } = BreakerDefaults.SlidingWindowSize;

    /// <summary>In milliseconds; 0 (the default) keeps a count-based window, a positive value a time-based window of that length.</summary>
    public int SamplingDurationMs { get; set; } = BreakerDefaults.SamplingDurationMs;

    /// <summary>Opens the circuit after this many failures in a row, whatever the ratio. Default 0 (off).</summary>
    public int ConsecutiveFailureThreshold { get; set; } = BreakerDefaults.ConsecutiveFailureThreshold;

    /// <summary>How long, in milliseconds, the circuit stays open before it lets probes through. Default 60000.</summary>
    public int BreakDurationMs { get; set; } = BreakerDefaults.BreakDurationMs;

    /// <summary>How many successful probes close a half-open circuit; also the most probes admitted at once. Default 3.</summary>
    public int SuccessThreshold { get; set; } = BreakerDefaults.SuccessThreshold;

    /// <summary>In milliseconds; a call still running after this counts as a timeout failure. Default 0 (no timeout). Async methods only.</summary>
    public int TimeoutMs { get; set; } = BreakerDefaults.TimeoutMs;

    /// <summary>A call taking at least this many milliseconds is slow. Default 10000.</summary>
    public int SlowCallDurationMs { get; set; } = BreakerDefaults.SlowCallDurationMs;

    /// <summary>The slow-call ratio, in (0, 1], at which the circuit opens. Default 0.5.</summary>
    public double SlowCallRatio { get; set; } = BreakerDefaults.SlowCallRatio;

    /// <summary>Each time a half-open circuit opens again, its break grows by this factor (at least 1). Default 1 (no back-off).</summary>
    public double BreakDurationMultiplier { get; set; } = BreakerDefaults.BreakDurationMultiplier;

    /// <summary>The longest a break can be, in milliseconds, however it was chosen (back-off, a Retry-After, the hook, jitter). Default 1800000 (30 minutes).</summary>
    public int MaxBreakDurationMs { get; set; } = BreakerDefaults.MaxBreakDurationMs;

    /// <summary>Spreads each break's end at random by up to this share of its length (0.1: ±10%), so breakers that opened together do not probe together. At least 0 (the default: none), less than 1.</summary>
    public double BreakJitterRatio { get; set; } = BreakerDefaults.BreakJitterRatio;

    /// <summary>
    /// A <c>static TimeSpan? M(BreakContext context)</c> method (use <c>nameof</c>) that chooses the length of each break when
    /// the circuit opens; <see langword="null"/> from it keeps the default. It must be static: one breaker serves every instance.
    /// </summary>
    public string? BreakDurationHook { get; set; }

    /// <summary>Exception types that count as failures; when set, any other exception propagates and counts as a success.</summary>
    public Type[]? Handles { get; set; }

    /// <summary>Exception types that propagate without counting as a success or a failure.</summary>
    public Type[]? Ignores { get; set; }

    /// <summary>A <c>bool M(TResult)</c> method (use <c>nameof</c>) that marks a returned value as a failure.</summary>
    public string? FailureWhen { get; set; }

    /// <summary>
    /// On a decorator class only: one breaker per interface method, named <c>Name.MethodName</c> (overloads share theirs),
    /// instead of one breaker for the whole decorator. Default <see langword="false"/>.
    /// </summary>
    public bool PerMethod { get; set; }
}
