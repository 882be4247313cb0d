using System.Collections.Generic;
using System.Linq;
using System.Text;
using Breaker.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Breaker.Generator.Parsing;

/// <summary>Reads the guarded method's declaration: its containing types, signature and return shape.</summary>
internal static class SignatureReader
{
    /// <summary>Part of the path Roslyn gives the generator's output files; an implementation there is the generator's own.</summary>
    private const string GeneratedPathMarker = "/Breaker.Generator.CircuitBreakerGenerator/";

    /// <summary>Checks that the method is a partial definition the generator can implement.</summary>
    public static ParseFailure? CheckPartialDefinition(IMethodSymbol method)
    {
        IMethodSymbol? implementation = method.PartialImplementationPart;
        if (!IsPartialDefinition(method) || (implementation is not null && !IsGeneratedByBreaker(implementation)))
        {
            return new ParseFailure(ParseFailureReason.NotPartialDefinition, method.Name);
        }

        return null;
    }

    /// <summary>Checks that the declaration is complete: no syntax errors, named types, no type that fails to bind.</summary>
    public static ParseFailure? CheckDeclaration(IMethodSymbol method, MethodDeclarationSyntax declaration)
    {
        bool incomplete = declaration.ContainsDiagnostics
            || method.Name.Length == 0
            || HasError(method.ReturnType)
            || method.Parameters.Any(p => p.Name.Length == 0 || HasError(p.Type))
            || method.TypeParameters.Any(p => p.Name.Length == 0 || p.ConstraintTypes.Any(HasError));
        for (INamedTypeSymbol? type = method.ContainingType; type is not null && !incomplete; type = type.ContainingType)
        {
            incomplete = type.Name.Length == 0 || type.TypeParameters.Any(p => p.Name.Length == 0);
        }

        for (INamespaceSymbol? space = method.ContainingType?.ContainingNamespace; space is { IsGlobalNamespace: false } && !incomplete; space = space.ContainingNamespace)
        {
            incomplete = space.Name.Length == 0;
        }

        return incomplete ? new ParseFailure(ParseFailureReason.InvalidDeclaration, method.Name) : null;
    }

    /// <summary>The containing namespace with keyword parts escaped, or <see langword="null"/> for the global namespace.</summary>
    public static string? ReadNamespace(IMethodSymbol method) => ReadNamespace(method.ContainingType);

    /// <summary>The type's namespace with keyword parts escaped, or <see langword="null"/> for the global namespace.</summary>
    public static string? ReadNamespace(INamedTypeSymbol type)
    {
        var parts = new List<string>();
        for (INamespaceSymbol space = type.ContainingNamespace; space is { IsGlobalNamespace: false }; space = space.ContainingNamespace)
        {
            parts.Insert(0, SymbolNames.Identifier(space.Name));
        }

        return parts.Count == 0 ? null : string.Join(".", parts);
    }

    /// <summary>Reads the containing types, outermost first; a failure for non-partial ones names them all (<c>Values</c>, outermost first).</summary>
    public static Resolution<EquatableArray<ContainingTypeModel>> ReadContainingTypes(IMethodSymbol method) => ReadContainingTypes(method.ContainingType);

    /// <summary>Reads <paramref name="innermost"/> and the types that contain it, outermost first, as <see cref="ReadContainingTypes(IMethodSymbol)"/> does.</summary>
    public static Resolution<EquatableArray<ContainingTypeModel>> ReadContainingTypes(INamedTypeSymbol innermost)
    {
        var types = new List<ContainingTypeModel>();
        var notPartial = new List<string>();
        for (INamedTypeSymbol? type = innermost; type is not null; type = type.ContainingType)
        {
            string? keyword = Keyword(type);
            if (keyword is null)
            {
                return Resolution<EquatableArray<ContainingTypeModel>>.Fail(ParseFailureReason.UnsupportedContainingType, type.Name);
            }

            if (!IsPartialType(type))
            {
                notPartial.Insert(0, type.Name);
                continue;
            }

            string modifiers = (type.IsReadOnly && type.TypeKind == TypeKind.Struct ? "readonly " : string.Empty)
                + (type.IsRefLikeType ? "ref " : string.Empty);
            types.Insert(0, new ContainingTypeModel(
                keyword,
                modifiers,
                SymbolNames.Identifier(type.Name),
                EquatableArray.From(type.TypeParameters.Select(p => SymbolNames.Identifier(p.Name)))));
        }

        return notPartial.Count == 0
            ? Resolution<EquatableArray<ContainingTypeModel>>.Success(EquatableArray.From(types))
            : Resolution<EquatableArray<ContainingTypeModel>>.Fail(new ParseFailure(ParseFailureReason.ContainingTypeNotPartial, notPartial[notPartial.Count - 1])
            {
                Values = EquatableArray.From(notPartial),
            });
    }

    /// <summary>Classifies what the method returns, or says why the return type is not supported.</summary>
    public static Resolution<ReturnShape> ReadShape(IMethodSymbol method, KnownTypes known)
    {
        if (method.ReturnsByRef || method.ReturnsByRefReadonly)
        {
            return Resolution<ReturnShape>.Fail(ParseFailureReason.RefReturn, method.Name);
        }

        if (method.ReturnsVoid)
        {
            return Resolution<ReturnShape>.Success(ReturnShape.Void);
        }

        ITypeSymbol returnType = method.ReturnType;
        ITypeSymbol definition = returnType.OriginalDefinition;
        if (Is(definition, known.AsyncEnumerator))
        {
            return Resolution<ReturnShape>.Fail(ParseFailureReason.AsyncEnumerator, method.Name);
        }

        ReturnShape shape = Is(definition, known.AsyncEnumerable) ? ReturnShape.AsyncStream
            : Is(returnType, known.Task) ? ReturnShape.Task
            : Is(definition, known.TaskOfT) ? ReturnShape.TaskOfT
            : Is(returnType, known.ValueTask) ? ReturnShape.ValueTask
            : Is(definition, known.ValueTaskOfT) ? ReturnShape.ValueTaskOfT
            : ReturnShape.Value;
        return Resolution<ReturnShape>.Success(shape);
    }

    /// <summary>
    /// The type an awaited or returned call yields: <c>T</c> for <c>T</c>, <c>Task&lt;T&gt;</c> and <c>ValueTask&lt;T&gt;</c>;
    /// for <c>IAsyncEnumerable&lt;T&gt;</c>, the element type <c>T</c>.
    /// </summary>
    public static ITypeSymbol? ResultType(IMethodSymbol method, ReturnShape shape) => shape switch
    {
        ReturnShape.Value => method.ReturnType,
        ReturnShape.TaskOfT or ReturnShape.ValueTaskOfT or ReturnShape.AsyncStream => ((INamedTypeSymbol)method.ReturnType).TypeArguments[0],
        _ => null,
    };

    /// <summary>Whether the shape is awaitable, or an async stream (whose parameters live as long as its enumeration).</summary>
    public static bool IsAsync(ReturnShape shape) => shape is ReturnShape.Task or ReturnShape.TaskOfT or ReturnShape.ValueTask or ReturnShape.ValueTaskOfT or ReturnShape.AsyncStream;

    /// <summary>Checks the parameter list against what the shape allows.</summary>
    public static ParseFailure? CheckParameters(IMethodSymbol method, ReturnShape shape)
    {
        if (method.Parameters.Any(p => IsPointer(p.Type)) || IsPointer(method.ReturnType))
        {
            return new ParseFailure(ParseFailureReason.PointerType, method.Name);
        }

        if (!IsAsync(shape))
        {
            return null;
        }

        IParameterSymbol? byRef = method.Parameters.FirstOrDefault(p => p.RefKind != RefKind.None || p.Type.IsRefLikeType);
        if (byRef is not null)
        {
            return new ParseFailure(ParseFailureReason.AsyncByRefParameter, byRef.Name);
        }

        if (!method.IsStatic && method.ContainingType.IsRefLikeType)
        {
            return new ParseFailure(ParseFailureReason.AsyncMethodOnRefStruct, method.Name);
        }

        // The stream's iterator is a local function that reaches the instance through 'this', which a struct's cannot.
        if (shape == ReturnShape.AsyncStream && !method.IsStatic && method.ContainingType.IsValueType)
        {
            return new ParseFailure(ParseFailureReason.AsyncStreamOnStruct, method.Name);
        }

        return null;
    }

    /// <summary>Reads the signature the implementation part must repeat.</summary>
    public static MethodSignatureModel ReadSignature(IMethodSymbol method, MethodDeclarationSyntax declaration, KnownTypes known)
    {
        IEnumerable<ParameterModel> parameters = method.Parameters.Select(p => ReadParameter(p, declaration, known));
        return new MethodSignatureModel(
            string.Join(" ", declaration.Modifiers.Select(m => m.Text)),
            SymbolNames.Type(method.ReturnType),
            SymbolNames.Identifier(method.Name),
            EquatableArray.From(method.TypeParameters.Select(p => SymbolNames.Identifier(p.Name))),
            EquatableArray.From(method.TypeParameters.Select(Constraint).Where(c => c is not null).Select(c => c!)),
            EquatableArray.From(parameters),
            method.IsStatic);
    }

    /// <summary>
    /// Reads the signature of an interface method a decorator implements: the modifiers are given (<c>public</c>, or none
    /// for an explicit implementation), the parameters' modifiers come from the symbol, as a metadata interface has no syntax.
    /// </summary>
    public static MethodSignatureModel ReadInterfaceSignature(IMethodSymbol method, string modifiers, string name, bool withConstraints, KnownTypes known) =>
        new MethodSignatureModel(
            modifiers,
            SymbolNames.Type(method.ReturnType),
            name,
            EquatableArray.From(method.TypeParameters.Select(p => SymbolNames.Identifier(p.Name))),
            withConstraints
                ? EquatableArray.From(method.TypeParameters.Select(Constraint).Where(c => c is not null).Select(c => c!))
                : EquatableArray<string>.Empty,
            // An explicit implementation takes no default values (CS1066): calls through the interface use the interface's.
            EquatableArray.From(method.Parameters.Select(p => ReadParameter(p, SymbolModifiers(p), known) with
            {
                DefaultValue = withConstraints ? DefaultValue(p) : string.Empty,
                Attributes = NullabilityAttributes.Read(p.GetAttributes(), string.Empty, known),
            })),
            IsStatic: false)
        {
            Attributes = NullabilityAttributes.Read(method.GetAttributes(), string.Empty, known)
                + NullabilityAttributes.Read(method.GetReturnTypeAttributes(), "return: ", known),
            KeepsPostconditionsByForwarding = NullabilityAttributes.HasPostcondition(method, known),
            ResultLocalType = MaybeNullResultType(method),
        };

    /// <summary>The annotated return type for a <c>[return: MaybeNull]</c> reference or unconstrained generic result, else <see langword="null"/>.</summary>
    private static string? MaybeNullResultType(IMethodSymbol method) =>
        !method.ReturnsVoid && !method.ReturnType.IsValueType
        && method.GetReturnTypeAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "System.Diagnostics.CodeAnalysis.MaybeNullAttribute")
        && method.ReturnType.NullableAnnotation != NullableAnnotation.Annotated
            ? SymbolNames.Type(method.ReturnType.WithNullableAnnotation(NullableAnnotation.Annotated))
            : null;

    /// <summary>The parameter's default value as C# (<c> = 5</c>), or nothing; a call through the decorator's type then needs no argument either.</summary>
    private static string DefaultValue(IParameterSymbol parameter) =>
        parameter.HasExplicitDefaultValue ? " = " + DefaultLiteral(parameter.Type, parameter.ExplicitDefaultValue) : string.Empty;

    private static string DefaultLiteral(ITypeSymbol type, object? value)
    {
        bool isNullableValueType = type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T };
        ITypeSymbol underlying = isNullableValueType ? ((INamedTypeSymbol)type).TypeArguments[0] : type;
        if (value is null)
        {
            return type.IsReferenceType || isNullableValueType ? "null" : "default";
        }

        if (underlying.TypeKind == TypeKind.Enum)
        {
            return "(" + SymbolNames.Type(underlying) + ")(" + DefaultLiteral(((INamedTypeSymbol)underlying).EnumUnderlyingType!, value) + ")";
        }

        return value switch
        {
            double d when double.IsNaN(d) => "global::System.Double.NaN",
            double d when double.IsInfinity(d) => d > 0 ? "global::System.Double.PositiveInfinity" : "global::System.Double.NegativeInfinity",
            float f when float.IsNaN(f) => "global::System.Single.NaN",
            float f when float.IsInfinity(f) => f > 0 ? "global::System.Single.PositiveInfinity" : "global::System.Single.NegativeInfinity",
            double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture) + "D",
            float f => f.ToString("R", System.Globalization.CultureInfo.InvariantCulture) + "F",
            decimal m => m.ToString(System.Globalization.CultureInfo.InvariantCulture) + "M",
            long l => l.ToString(System.Globalization.CultureInfo.InvariantCulture) + "L",
            ulong u => u.ToString(System.Globalization.CultureInfo.InvariantCulture) + "UL",
            uint u => u.ToString(System.Globalization.CultureInfo.InvariantCulture) + "U",
            _ => SymbolDisplay.FormatPrimitive(value, quoteStrings: true, useHexadecimalNumbers: false),
        };
    }

    /// <summary>A parameter's declaration modifiers from its symbol, each followed by a space.</summary>
    private static string SymbolModifiers(IParameterSymbol parameter) =>
        (parameter.ScopedKind != ScopedKind.None && parameter.RefKind == RefKind.None ? "scoped " : string.Empty)
        + (parameter.IsParams ? "params " : string.Empty)
        + SymbolNames.DeclarationModifier(parameter.RefKind);

    private static ParameterModel ReadParameter(IParameterSymbol parameter, MethodDeclarationSyntax declaration, KnownTypes known)
    {
        ParameterSyntax? syntax = parameter.Ordinal < declaration.ParameterList.Parameters.Count
            ? declaration.ParameterList.Parameters[parameter.Ordinal]
            : null;
        return ReadParameter(parameter, syntax is null ? string.Empty : string.Concat(syntax.Modifiers.Select(m => m.Text + " ")), known);
    }

    private static ParameterModel ReadParameter(IParameterSymbol parameter, string modifiers, KnownTypes known)
    {
        string argumentModifier = SymbolNames.ArgumentModifier(parameter.RefKind);
        bool isToken = parameter.RefKind != RefKind.Out && Is(parameter.Type, known.CancellationToken);
        return new ParameterModel(modifiers, SymbolNames.Type(parameter.Type), SymbolNames.Identifier(parameter.Name), argumentModifier, isToken);
    }

    internal static string? Constraint(ITypeParameterSymbol parameter)
    {
        var parts = new List<string>();
        if (parameter.HasUnmanagedTypeConstraint)
        {
            parts.Add("unmanaged");
        }
        else if (parameter.HasValueTypeConstraint)
        {
            parts.Add("struct");
        }
        else if (parameter.HasReferenceTypeConstraint)
        {
            parts.Add(parameter.ReferenceTypeConstraintNullableAnnotation == NullableAnnotation.Annotated ? "class?" : "class");
        }
        else if (parameter.HasNotNullConstraint)
        {
            parts.Add("notnull");
        }

        parts.AddRange(parameter.ConstraintTypes.Select(SymbolNames.Type));
        if (parameter.HasConstructorConstraint)
        {
            parts.Add("new()");
        }

        if (parameter.AllowsRefLikeType)
        {
            parts.Add("allows ref struct");
        }

        if (parts.Count == 0)
        {
            return null;
        }

        StringBuilder clause = new StringBuilder("where ").Append(SymbolNames.Identifier(parameter.Name)).Append(" : ");
        return clause.Append(string.Join(", ", parts)).ToString();
    }

    /// <summary>Whether the method is declared once, <c>partial</c>, without a body.</summary>
    internal static bool IsPartialDefinition(IMethodSymbol method) =>
        method.DeclaringSyntaxReferences.Length == 1
        && method.DeclaringSyntaxReferences[0].GetSyntax() is MethodDeclarationSyntax declaration
        && declaration.Modifiers.Any(SyntaxKind.PartialKeyword)
        && declaration.Body is null
        && declaration.ExpressionBody is null;

    private static bool IsGeneratedByBreaker(IMethodSymbol implementation) =>
        implementation.DeclaringSyntaxReferences.All(r => r.SyntaxTree.FilePath.Replace('\\', '/').Contains(GeneratedPathMarker));

    private static bool IsPartialType(INamedTypeSymbol type) =>
        type.DeclaringSyntaxReferences.Length > 0
        && type.DeclaringSyntaxReferences.All(r => r.GetSyntax() is TypeDeclarationSyntax t && t.Modifiers.Any(SyntaxKind.PartialKeyword));

    private static string? Keyword(INamedTypeSymbol type) => type.TypeKind switch
    {
        TypeKind.Class => type.IsRecord ? "record" : "class",
        TypeKind.Struct => type.IsRecord ? "record struct" : "struct",
        _ => null,
    };

    private static bool HasError(ITypeSymbol type) => type switch
    {
        IErrorTypeSymbol => true,
        IArrayTypeSymbol array => HasError(array.ElementType),
        IPointerTypeSymbol pointer => HasError(pointer.PointedAtType),
        INamedTypeSymbol named => named.TypeArguments.Any(HasError) || (named.ContainingType is { } outer && HasError(outer)),
        _ => false,
    };

    internal static bool IsPointer(ITypeSymbol type) => type switch
    {
        IPointerTypeSymbol or IFunctionPointerTypeSymbol => true,
        IArrayTypeSymbol array => IsPointer(array.ElementType),
        INamedTypeSymbol named => named.TypeArguments.Any(IsPointer),
        _ => false,
    };

    private static bool Is(ITypeSymbol type, INamedTypeSymbol? known) =>
        known is not null && SymbolEqualityComparer.Default.Equals(type, known);
}
