using System;

namespace Breaker;

/// <summary>
/// A circuit breaker the code declares, known before its first call: its name, the options its code gives it and where
/// it is declared. Generated code declares every <c>[CircuitBreaker]</c> method to <see cref="CircuitBreakerRegistry.Default"/>
/// when its assembly loads.
/// </summary>
public sealed class CircuitBreakerDeclaration
{
    private readonly CircuitBreakerOptions _options;

    /// <summary>Declares the breaker called <paramref name="name"/> with the options its code gives it.</summary>
    /// <param name="name">The breaker's name in the registry.</param>
    /// <param name="options">The library defaults with the code's values on top (copied and validated); <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is invalid; the message names the breaker and the option.</exception>
    public CircuitBreakerDeclaration(string name, CircuitBreakerOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        CircuitBreakerOptions copy = options?.Clone() ?? new CircuitBreakerOptions();
        copy.Validate(name);
        Name = name;
        _options = copy;
    }

    /// <summary>The breaker's name.</summary>
    public string Name { get; }

    /// <summary>A copy of the options the code declares (configuration registered at run time may override them).</summary>
    public CircuitBreakerOptions Options => _options.Clone();

    /// <summary>The type that declares the breaker, as C# writes it (<c>Shop.QuoteClient</c>), when known.</summary>
    public string? DeclaringType { get; init; }

    /// <summary>The method that declares the breaker (<c>GetQuoteAsync</c>), when known.</summary>
    public string? MethodName { get; init; }

    /// <summary>
    /// For a keyed breaker (<c>[CircuitBreaker(Key = nameof(tenantId))]</c>), the parameter whose value picks the breaker:
    /// the declaration is then of a keyed group (<see cref="CircuitBreakerGroup"/>) with these options; <see langword="null"/>
    /// for a single breaker.
    /// </summary>
    public string? KeyParameter { get; init; }

    /// <summary>The declaring method's fallback (<c>CachedQuote</c>), or <see langword="null"/> when its failures propagate and its rejections throw.</summary>
    public string? Fallback { get; init; }

    /// <inheritdoc/>
    public override string ToString() =>
        (KeyParameter is null ? Name : $"{Name} by {KeyParameter}")
        + (DeclaringType is null ? string.Empty : $" ({DeclaringType}{(MethodName is null ? string.Empty : "." + MethodName)})");
}
