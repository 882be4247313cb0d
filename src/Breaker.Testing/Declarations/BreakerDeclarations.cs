using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;

namespace Breaker.Testing;

/// <summary>
/// The breakers the code declares, for tests that check a method is guarded the way it should be: its breaker's name, its
/// settings as the attribute gives them, where it is declared and its fallback. Read from
/// <see cref="CircuitBreakerRegistry.Declarations"/>, which generated code fills when its assembly loads.
/// </summary>
public static class BreakerDeclarations
{
    /// <summary>Every declaration of the assemblies loaded so far, in the order made.</summary>
    public static IReadOnlyList<CircuitBreakerDeclaration> All => CircuitBreakerRegistry.Default.Declarations;

    /// <summary>The declarations of the <c>[CircuitBreaker]</c> methods of <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The declaring type (for a generic type, any construction of it).</typeparam>
    public static IReadOnlyList<CircuitBreakerDeclaration> Of<T>() => Of(typeof(T));

    /// <summary>The declarations of the <c>[CircuitBreaker]</c> methods of <paramref name="type"/>.</summary>
    /// <param name="type">The declaring type (for a generic type, its definition or any construction of it).</param>
    public static IReadOnlyList<CircuitBreakerDeclaration> Of(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);

        // The declarations come from the type's module initializer, which runs on the module's first use: make sure it ran.
        RuntimeHelpers.RunModuleConstructor(type.Module.ModuleHandle);
        string name = CSharpTypeName.Of(type);
        return All.Where(d => d.DeclaringType == name).ToArray();
    }

    /// <summary>The declaration of the <c>[CircuitBreaker]</c> method <paramref name="methodName"/> of <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The declaring type.</typeparam>
    /// <param name="methodName">The method's name: <c>nameof(T.Method)</c>.</param>
    /// <exception cref="BreakerAssertionException">The method declares no breaker (no attribute, or an attribute with errors), or its overloads declare different ones.</exception>
    public static CircuitBreakerDeclaration For<T>(string methodName) => For(typeof(T), methodName);

    /// <inheritdoc cref="For{T}(string)"/>
    /// <param name="type">The declaring type.</param>
    /// <param name="methodName">The method's name.</param>
    public static CircuitBreakerDeclaration For(Type type, string methodName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(methodName);
        IReadOnlyList<CircuitBreakerDeclaration> declared = Of(type);
        CircuitBreakerDeclaration[] matching = declared.Where(d => d.MethodName == methodName).ToArray();
        if (matching.Length == 0)
        {
            string others = declared.Count == 0 ? "none" : string.Join(", ", declared.Select(static d => d.MethodName + " ('" + d.Name + "')"));
            throw new BreakerAssertionException(
                $"{CSharpTypeName.Of(type)}.{methodName} declares no circuit breaker: it has no [CircuitBreaker], or its attribute has "
                + $"errors (see the BRK diagnostics). The type's guarded methods: {others}.");
        }

        if (matching.Select(static d => d.Name).Distinct(StringComparer.Ordinal).Skip(1).Any())
        {
            throw new BreakerAssertionException(
                $"The overloads of {CSharpTypeName.Of(type)}.{methodName} declare different breakers ({string.Join(", ", matching.Select(static d => "'" + d.Name + "'"))}): "
                + "pick one from BreakerDeclarations.Of<T>().");
        }

        return matching[0];
    }

    /// <summary>The declarations of the breaker called <paramref name="name"/> (methods that share a breaker each declare it).</summary>
    /// <param name="name">The breaker's name.</param>
    public static IReadOnlyList<CircuitBreakerDeclaration> Named(string name) => All.Where(d => d.Name == name).ToArray();

    /// <summary>Whether <paramref name="name"/> is a keyed group's, declared or existing in <see cref="CircuitBreakerRegistry.Default"/>.</summary>
    internal static bool IsKeyedGroup(string name) =>
        All.Any(d => d.Name == name && d.KeyParameter is not null) || CircuitBreakerRegistry.Default.Groups.Any(g => g.Name == name);

    /// <summary>Whether a breaker called <paramref name="name"/> is declared or exists in <see cref="CircuitBreakerRegistry.Default"/> (making none).</summary>
    internal static bool IsShared(string name) =>
        All.Any(d => d.Name == name) || CircuitBreakerRegistry.Default.TryGet(name, out _);
}
