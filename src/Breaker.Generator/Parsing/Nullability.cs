using System.Linq;
using Microsoft.CodeAnalysis;

namespace Breaker.Generator.Parsing;

/// <summary>
/// Nullable-annotation checks for values the generated code passes along: a call that compiles but warns about
/// nullability would break a build with warnings as errors, so such a member does not match.
/// </summary>
internal static class Nullability
{
    /// <summary>Whether a value of type <paramref name="from"/> can be assigned to <paramref name="to"/> without a nullable warning.</summary>
    public static bool IsAssignable(ITypeSymbol from, ITypeSymbol to) =>
        !(from.NullableAnnotation == NullableAnnotation.Annotated && to.NullableAnnotation == NullableAnnotation.NotAnnotated)
        && NestedSame(from, to);

    /// <summary>Whether the two types carry the same annotations wherever both are annotated or not (oblivious matches anything).</summary>
    public static bool IsSame(ITypeSymbol left, ITypeSymbol right) =>
        Compatible(left.NullableAnnotation, right.NullableAnnotation) && NestedSame(left, right);

    private static bool NestedSame(ITypeSymbol left, ITypeSymbol right) => (left, right) switch
    {
        (IArrayTypeSymbol a, IArrayTypeSymbol b) => IsSame(a.ElementType, b.ElementType),
        (INamedTypeSymbol a, INamedTypeSymbol b) when a.TypeArguments.Length == b.TypeArguments.Length =>
            a.TypeArguments.Zip(b.TypeArguments, IsSame).All(same => same),
        _ => true,
    };

    private static bool Compatible(NullableAnnotation left, NullableAnnotation right) =>
        left == right || left == NullableAnnotation.None || right == NullableAnnotation.None;
}
