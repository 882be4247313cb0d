using System.Collections.Generic;
using System.Linq;
using Breaker.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Breaker.Generator.Parsing;

/// <summary>
/// Resolves <c>Key</c>, the parameter whose value picks the breaker: it must exist, be passed by value (its value is read
/// once, when the call starts) and have value equality, so that equal values find one breaker without reflection or boxing.
/// </summary>
internal static class KeyResolver
{
    /// <summary>Resolves the parameter <paramref name="name"/> of <paramref name="method"/> as the key.</summary>
    public static Resolution<KeyModel> Resolve(IMethodSymbol method, string name)
    {
        IParameterSymbol? parameter = method.Parameters.FirstOrDefault(p => p.Name == name);
        if (parameter is null)
        {
            return Resolution<KeyModel>.Fail(new ParseFailure(ParseFailureReason.KeyParameterNotFound, name)
            {
                Values = EquatableArray.From(Candidates(method)),
            });
        }

        if (WhyNotByValue(parameter) is { } byReference)
        {
            return Resolution<KeyModel>.Fail(new ParseFailure(ParseFailureReason.KeyParameterByReference, parameter.Name)
            {
                Values = EquatableArray.From(new[] { byReference }),
            });
        }

        ITypeSymbol type = parameter.Type;
        if (WhyNoValueEquality(type) is { } why)
        {
            return Resolution<KeyModel>.Fail(new ParseFailure(ParseFailureReason.KeyTypeWithoutValueEquality, parameter.Name)
            {
                Values = EquatableArray.From(new[] { SymbolNames.Display(type), why }),
            });
        }

        bool nullableValue = IsNullableValueType(type, out ITypeSymbol? underlying);
        ITypeSymbol keyType = nullableValue ? underlying! : type.WithNullableAnnotation(NullableAnnotation.NotAnnotated);
        return Resolution<KeyModel>.Success(new KeyModel(SymbolNames.Identifier(parameter.Name), SymbolNames.Type(keyType), nullableValue));
    }

    /// <summary>The parameters of <paramref name="method"/> that could be its key, in order (a cancellation token never is one).</summary>
    public static IEnumerable<string> Candidates(IMethodSymbol method) =>
        method.Parameters
            .Where(p => WhyNotByValue(p) is null && WhyNoValueEquality(p.Type) is null && p.Type.ToDisplayString() != "System.Threading.CancellationToken")
            .Select(p => p.Name);

    /// <summary>Why the parameter's value cannot be kept as a key, or <see langword="null"/> when it can.</summary>
    private static string? WhyNotByValue(IParameterSymbol parameter) =>
        parameter.RefKind == RefKind.Ref ? "passed by 'ref' (the call may change it)"
        : parameter.RefKind == RefKind.Out ? "an 'out' parameter (it has no value when the call starts)"
        : parameter.Type is IPointerTypeSymbol or IFunctionPointerTypeSymbol ? "a pointer (it points at a value, it is not one)"
        : parameter.Type.IsRefLikeType ? "a ref struct such as Span<T> (it cannot be stored)"
        : null;

    /// <summary>Why keys of <paramref name="type"/> would not compare by value, or <see langword="null"/> when they do.</summary>
    private static string? WhyNoValueEquality(ITypeSymbol type)
    {
        if (TypeParameterIn(type) is { } typeParameter)
        {
            return "it depends on the type parameter '" + typeParameter.Name + "', whose equality is not known when the code is generated";
        }

        if (IsNullableValueType(type, out ITypeSymbol? underlying))
        {
            return WhyNoValueEquality(underlying!);
        }

        switch (type.SpecialType)
        {
            case SpecialType.System_String:
            case SpecialType.System_Boolean:
            case SpecialType.System_Char:
            case SpecialType.System_SByte:
            case SpecialType.System_Byte:
            case SpecialType.System_Int16:
            case SpecialType.System_UInt16:
            case SpecialType.System_Int32:
            case SpecialType.System_UInt32:
            case SpecialType.System_Int64:
            case SpecialType.System_UInt64:
            case SpecialType.System_IntPtr:
            case SpecialType.System_UIntPtr:
            case SpecialType.System_Decimal:
            case SpecialType.System_Single:
            case SpecialType.System_Double:
            case SpecialType.System_DateTime:
                return null;
            case SpecialType.System_Object:
                return "object compares by reference: each new object would be a new key";
        }

        if (type.TypeKind == TypeKind.Enum)
        {
            return null;
        }

        switch (type.TypeKind)
        {
            case TypeKind.Array:
                return "arrays compare by reference: each new array would be a new key";
            case TypeKind.Delegate:
                return "delegates compare by reference: each new delegate would be a new key";
            case TypeKind.Interface:
            case TypeKind.Dynamic:
                return "its values may compare by reference (whatever type they turn out to be): each new instance would be a new key";
        }

        if (type is INamedTypeSymbol { IsTupleType: true } tuple)
        {
            return tuple.TupleElements.Select(e => WhyNoValueEquality(e.Type)).FirstOrDefault(w => w is not null) is { } element
                ? "a tuple element has no value equality: " + element
                : null;
        }

        if (type.IsRecord || ImplementsEquatableOfItself(type) || (type.TypeKind == TypeKind.Class && OverridesEquals(type)))
        {
            return null;
        }

        return type.TypeKind == TypeKind.Struct
            ? "a struct without IEquatable<T> is compared by reflection, boxed on every call; implement IEquatable<T> or make it a record struct"
            : "it compares by reference: each new instance would be a new key; use a record, implement IEquatable<T>, or key by one of its values";
    }

    private static bool IsNullableValueType(ITypeSymbol type, out ITypeSymbol? underlying)
    {
        underlying = type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable ? nullable.TypeArguments[0] : null;
        return underlying is not null;
    }

    private static ITypeParameterSymbol? TypeParameterIn(ITypeSymbol type) => type switch
    {
        ITypeParameterSymbol parameter => parameter,
        IArrayTypeSymbol array => TypeParameterIn(array.ElementType),
        INamedTypeSymbol named => named.TypeArguments.Select(TypeParameterIn).FirstOrDefault(p => p is not null)
            ?? (named.ContainingType is { } outer ? TypeParameterIn(outer) : null),
        _ => null,
    };

    private static bool ImplementsEquatableOfItself(ITypeSymbol type) =>
        type.AllInterfaces.Any(i => i.OriginalDefinition.ToDisplayString() == "System.IEquatable<T>"
            && SymbolEqualityComparer.Default.Equals(i.TypeArguments[0], type.WithNullableAnnotation(NullableAnnotation.NotAnnotated)));

    private static bool OverridesEquals(ITypeSymbol type)
    {
        for (ITypeSymbol? current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            if (current.GetMembers("Equals").OfType<IMethodSymbol>().Any(m => m.IsOverride && m.Parameters.Length == 1 && m.Parameters[0].Type.SpecialType == SpecialType.System_Object))
            {
                return true;
            }
        }

        return false;
    }
}
