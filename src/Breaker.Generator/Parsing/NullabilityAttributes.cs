using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Breaker.Generator.Parsing;

/// <summary>
/// The nullable-flow attributes of System.Diagnostics.CodeAnalysis (<c>[NotNullWhen(true)]</c>, <c>[MaybeNull]</c>, ...) that
/// an interface member carries, written again on the member a decorator implements, where the compiler compares them
/// (CS8767, CS8766, CS8770 otherwise). Only these: other attributes are no part of the signature's contract.
/// </summary>
internal static class NullabilityAttributes
{
    private const string Namespace = "System.Diagnostics.CodeAnalysis";

    /// <summary>Attributes a caller relies on after the call: the generated body cannot show the compiler that it keeps them.</summary>
    private static readonly HashSet<string> Postconditions = new HashSet<string>
    {
        "NotNullAttribute", "NotNullWhenAttribute", "MaybeNullWhenAttribute", "NotNullIfNotNullAttribute", "DoesNotReturnAttribute",
    };

    private static readonly HashSet<string> Copied = new HashSet<string>(Postconditions)
    {
        "AllowNullAttribute", "DisallowNullAttribute", "MaybeNullAttribute", "DoesNotReturnIfAttribute",
    };

    /// <summary>
    /// The copied attributes of <paramref name="attributes"/> as C#, each <c>[global::...]</c> followed by a space, with
    /// <paramref name="target"/> (<c>return: </c>) when given. The compiler knows these attributes by name, so a netstandard2.0
    /// project gets them from a polyfill; one the project cannot reach (another assembly's internal polyfill) is left out.
    /// </summary>
    public static string Read(ImmutableArray<AttributeData> attributes, string target, KnownTypes known) =>
        string.Concat(attributes.Where(a => IsCopied(a, known)).Select(a => "[" + target + Text(a) + "] "));

    /// <summary>Whether any of <paramref name="attributes"/> is a postcondition the generated body keeps only by forwarding.</summary>
    public static bool HasPostcondition(ImmutableArray<AttributeData> attributes, KnownTypes known) =>
        attributes.Any(a => IsCopied(a, known) && Postconditions.Contains(a.AttributeClass!.Name));

    /// <summary>Whether the method, its return or one of its parameters carries a postcondition.</summary>
    public static bool HasPostcondition(IMethodSymbol method, KnownTypes known) =>
        HasPostcondition(method.GetAttributes(), known)
        || HasPostcondition(method.GetReturnTypeAttributes(), known)
        || method.Parameters.Any(p => HasPostcondition(p.GetAttributes(), known));

    private static bool IsCopied(AttributeData attribute, KnownTypes known)
    {
        INamedTypeSymbol? type = attribute.AttributeClass;
        if (type is null || !Copied.Contains(type.Name) || type.ContainingNamespace?.ToDisplayString() != Namespace)
        {
            return false;
        }

        // By name in the decorator's own compilation: the interface's assembly may hold a polyfill this project cannot see.
        return known.Compilation.GetTypesByMetadataName(Namespace + "." + type.Name)
            .Any(t => known.Compilation.IsSymbolAccessibleWithin(t, known.Compilation.Assembly));
    }

    private static string Text(AttributeData attribute)
    {
        string name = attribute.AttributeClass!.Name;
        string text = "global::" + Namespace + "." + name.Substring(0, name.Length - "Attribute".Length);
        if (attribute.ConstructorArguments.Length == 0)
        {
            return text;
        }

        return text + "(" + string.Join(", ", attribute.ConstructorArguments.Select(Argument)) + ")";
    }

    // The copied attributes take a bool (NotNullWhen, MaybeNullWhen, DoesNotReturnIf) or a parameter's name (NotNullIfNotNull).
    private static string Argument(TypedConstant argument) => argument.Value switch
    {
        bool value => value ? "true" : "false",
        string value => SymbolDisplay.FormatLiteral(value, quote: true),
        _ => "null",
    };
}
