using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Breaker.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Breaker.Generator.Parsing;

/// <summary>
/// Finds the methods the attribute names (implementation, fallback overloads, <c>FailureWhen</c> predicate) and checks
/// their signatures against the guarded method. The generator and the analyzers both call it, so they never disagree.
/// </summary>
internal static class MemberResolver
{
    /// <summary>The implementation's name when the attribute does not give one.</summary>
    public static string DefaultImplementationName(IMethodSymbol method) => method.Name + "Core";

    /// <summary>Finds the implementation: same parameters (types and ref kinds) and the same return type.</summary>
    public static Resolution<MemberCallModel> ResolveImplementation(IMethodSymbol method, string name)
    {
        var candidates = Candidates(method, name).Where(c => !SymbolEqualityComparer.Default.Equals(c.OriginalDefinition, method)).ToList();
        if (candidates.Count == 0)
        {
            return Resolution<MemberCallModel>.Fail(ParseFailureReason.ImplementationNotFound, name);
        }

        var matches = candidates
            .Select(c => Substitute(c, method))
            .Where(c => c is not null && !c.ReturnsByRef && !c.ReturnsByRefReadonly
                && SameType(c.ReturnType, method.ReturnType) && Returns(c.ReturnType, method.ReturnType) && SameParameters(c.Parameters, method.Parameters))
            .ToList();
        return FirstReachable(matches, method, name, ParseFailureReason.ImplementationSignatureMismatch, ParseFailureReason.ImplementationNotStatic);
    }

    /// <summary>Finds the <c>bool M(TResult)</c> predicate that marks results as failures.</summary>
    public static Resolution<MemberCallModel> ResolveFailureWhen(IMethodSymbol method, string name, ITypeSymbol? resultType, KnownTypes known)
    {
        if (resultType is null)
        {
            return Resolution<MemberCallModel>.Fail(ParseFailureReason.FailureWhenWithoutResult, name);
        }

        var candidates = Candidates(method, name).ToList();
        if (candidates.Count == 0)
        {
            return Resolution<MemberCallModel>.Fail(ParseFailureReason.FailureWhenNotFound, name);
        }

        var matches = candidates
            .Select(c => Substitute(c, method))
            .Where(c => c is not null
                && c.ReturnType.SpecialType == SpecialType.System_Boolean
                && c.Parameters.Length == 1
                && c.Parameters[0].RefKind is RefKind.None or RefKind.In
                && Converts(resultType, c.Parameters[0].Type, known)
                && Nullability.IsAssignable(resultType, c.Parameters[0].Type))
            .ToList();
        return FirstReachable(matches, method, name, ParseFailureReason.FailureWhenSignatureMismatch, ParseFailureReason.FailureWhenNotStatic);
    }

    /// <summary>
    /// The first of the members that fit whose call <paramref name="method"/> can make (a static method cannot call an
    /// instance member), or <paramref name="noneFits"/>, or <paramref name="onlyInstance"/>.
    /// </summary>
    private static Resolution<MemberCallModel> FirstReachable(
        List<IMethodSymbol?> matches, IMethodSymbol method, string name, ParseFailureReason noneFits, ParseFailureReason onlyInstance)
    {
        if (matches.Count == 0)
        {
            return Resolution<MemberCallModel>.Fail(noneFits, name);
        }

        IMethodSymbol? usable = matches.FirstOrDefault(c => c!.IsStatic || !method.IsStatic);
        return usable is null
            ? Resolution<MemberCallModel>.Fail(onlyInstance, name)
            : Resolution<MemberCallModel>.Success(Call(usable));
    }

    /// <summary>
    /// Finds the <c>static TimeSpan? M(BreakContext)</c> break-duration hook, and checks that the assembly's declarations can
    /// reach the guarded method's type, where the generator writes the <c>internal</c> method that forwards to the hook:
    /// neither it nor a type containing it may be generic (one breaker serves every closed type), private or protected. The
    /// hook itself may be private.
    /// </summary>
    public static Resolution<string> ResolveBreakDurationHook(IMethodSymbol method, string name, KnownTypes known) =>
        ResolveBreakDurationHook(method.ContainingType, name, known);

    /// <summary>The hook of a decorator's class attribute, resolved on the decorator as a guarded method's is on its type.</summary>
    public static Resolution<string> ResolveBreakDurationHook(INamedTypeSymbol owner, string name, KnownTypes known)
    {
        var candidates = Candidates(owner, name).ToList();
        if (candidates.Count == 0)
        {
            return Resolution<string>.Fail(ParseFailureReason.BreakDurationHookNotFound, name);
        }

        var matches = candidates
            .Where(c => c.Arity == 0
                && !c.ReturnsByRef
                && !c.ReturnsByRefReadonly
                && c.ReturnType is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable
                && SameType(nullable.TypeArguments[0], known.TimeSpan)
                && c.Parameters.Length == 1
                && c.Parameters[0].RefKind == RefKind.None
                && SameType(c.Parameters[0].Type, known.BreakContext))
            .ToList();
        if (matches.Count == 0)
        {
            return Resolution<string>.Fail(ParseFailureReason.BreakDurationHookSignatureMismatch, name);
        }

        IMethodSymbol? hook = matches.FirstOrDefault(static c => c.IsStatic);
        if (hook is null)
        {
            return Resolution<string>.Fail(new ParseFailure(ParseFailureReason.BreakDurationHookNotStatic, name)
            {
                Values = Values(SymbolNames.Display(owner)),
            });
        }

        for (INamedTypeSymbol? type = owner; type is not null; type = type.ContainingType)
        {
            string? hidden = type.TypeParameters.Length > 0 ? "generic"
                : type.DeclaredAccessibility switch
                {
                    Accessibility.Private => "private",
                    Accessibility.Protected => "protected",
                    Accessibility.ProtectedAndInternal => "private protected",
                    _ => null,
                };
            if (hidden is not null)
            {
                return Resolution<string>.Fail(new ParseFailure(ParseFailureReason.BreakDurationHookUnreachable, name)
                {
                    Values = Values(SymbolNames.Display(type), hidden),
                });
            }
        }

        return Resolution<string>.Success(SymbolNames.Identifier(hook.Name));
    }

    /// <summary>
    /// Finds every fallback overload with an accepted shape — <c>()</c>, the method's parameters, those plus a trailing
    /// exception parameter, or the exception parameter alone — and orders them for the failure and rejection paths.
    /// Every overload with an accepted parameter list must also return a fitting type and be callable, and no two may
    /// take the same failures: an overload the generated code would silently skip is a failure, not a surprise at run time.
    /// </summary>
    public static Resolution<FallbackModel> ResolveFallback(IMethodSymbol method, string name, ReturnShape shape, KnownTypes known)
    {
        var candidates = Candidates(method, name).ToList();
        if (candidates.Count == 0)
        {
            ISymbol? other = OtherMembers(method, name).FirstOrDefault();
            return other is null
                ? Resolution<FallbackModel>.Fail(ParseFailureReason.FallbackNotFound, name)
                : Resolution<FallbackModel>.Fail(new ParseFailure(ParseFailureReason.FallbackNotMethod, name) { Values = Values(MemberKind(other)) });
        }

        var shaped = candidates
            .Select(c => Substitute(c, method))
            .Where(c => c is not null)
            .Select(c => Classify(c!, method, shape, known))
            .Where(c => c is not null)
            .Select(c => c!)
            .ToList();
        if (shaped.Count == 0)
        {
            return Resolution<FallbackModel>.Fail(ParseFailureReason.FallbackSignatureMismatch, name);
        }

        ShapedFallback? wrongReturn = shaped.FirstOrDefault(c => c.Returns is null);
        if (wrongReturn is not null)
        {
            return Resolution<FallbackModel>.Fail(new ParseFailure(ParseFailureReason.FallbackReturnTypeMismatch, name)
            {
                Values = Values(SymbolNames.Display(wrongReturn.Symbol.OriginalDefinition), SymbolNames.Display(wrongReturn.Symbol.ReturnType)),
            });
        }

        ShapedFallback? instance = shaped.FirstOrDefault(c => method.IsStatic && !c.Symbol.IsStatic);
        if (instance is not null)
        {
            return Resolution<FallbackModel>.Fail(new ParseFailure(ParseFailureReason.FallbackNotStatic, name)
            {
                Values = Values(SymbolNames.Display(instance.Symbol.OriginalDefinition)),
            });
        }

        IGrouping<ISymbol?, ShapedFallback>? clash = shaped
            .GroupBy(c => TakesAnyFailure(c, known) ? null : c.ExceptionType, SymbolEqualityComparer.Default)
            .FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
        {
            return Resolution<FallbackModel>.Fail(new ParseFailure(ParseFailureReason.FallbackAmbiguous, name)
            {
                Values = Values(clash.Take(2).Select(c => SymbolNames.Display(c.Symbol.OriginalDefinition)).ToArray()),
            });
        }

        List<ShapedFallback> failureCases = OrderForFailures(shaped);
        ShapedFallback? rejection = failureCases.FirstOrDefault(c => c.ExceptionType is null || Accepts(c.ExceptionType, known.BrokenCircuitException, known));
        ShapedFallback? timeout = failureCases.FirstOrDefault(c => c.ExceptionType is null || Accepts(c.ExceptionType, known.TimeoutException, known));
        return Resolution<FallbackModel>.Success(new FallbackModel(
            EquatableArray.From(failureCases.Select(Model)),
            rejection is null ? null : Model(rejection),
            timeout is null ? null : Model(timeout)));
    }

    /// <summary>Exception-typed overloads, most specific first, then the overload without an exception parameter.</summary>
    private static List<ShapedFallback> OrderForFailures(List<ShapedFallback> fallbacks)
    {
        var ordered = fallbacks
            .Where(f => f.ExceptionType is not null)
            .OrderByDescending(f => Depth(f.ExceptionType!))
            .ThenBy(f => SymbolNames.Type(f.ExceptionType!), System.StringComparer.Ordinal)
            .ToList();
        ordered.AddRange(fallbacks.Where(f => f.ExceptionType is null));
        return ordered;
    }

    /// <summary>Whether the overload takes every failure: it has no exception parameter, or a <c>System.Exception</c> one.</summary>
    private static bool TakesAnyFailure(ShapedFallback fallback, KnownTypes known) =>
        fallback.ExceptionType is null || SameType(fallback.ExceptionType, known.Exception);

    /// <summary>Classifies an overload by its parameters; <see langword="null"/> when they fit no accepted shape.</summary>
    private static ShapedFallback? Classify(IMethodSymbol candidate, IMethodSymbol method, ReturnShape shape, KnownTypes known)
    {
        FallbackReturn? returns = FallbackReturnOf(candidate, method, shape, known);
        ImmutableArray<IParameterSymbol> parameters = candidate.Parameters;
        ImmutableArray<IParameterSymbol> own = method.Parameters;
        if (parameters.Length == 0)
        {
            return new ShapedFallback(candidate, null, PassesArguments: false, returns);
        }

        if (parameters.Length == own.Length && SameParameters(parameters, own))
        {
            return new ShapedFallback(candidate, null, PassesArguments: true, returns);
        }

        IParameterSymbol last = parameters[parameters.Length - 1];
        if (last.RefKind != RefKind.None || !known.IsException(last.Type))
        {
            return null;
        }

        if (parameters.Length == own.Length + 1 && SameParameters(parameters.RemoveAt(parameters.Length - 1), own))
        {
            return new ShapedFallback(candidate, (INamedTypeSymbol)last.Type, PassesArguments: true, returns);
        }

        return parameters.Length == 1 ? new ShapedFallback(candidate, (INamedTypeSymbol)last.Type, PassesArguments: false, returns) : null;
    }

    private static FallbackCaseModel Model(ShapedFallback fallback) =>
        new FallbackCaseModel(
            Call(fallback.Symbol),
            fallback.ExceptionType is null ? null : SymbolNames.Type(fallback.ExceptionType.WithNullableAnnotation(NullableAnnotation.NotAnnotated)),
            fallback.PassesArguments,
            fallback.Returns!.Value);

    private static FallbackReturn? FallbackReturnOf(IMethodSymbol candidate, IMethodSymbol method, ReturnShape shape, KnownTypes known)
    {
        if (candidate.ReturnsByRef || candidate.ReturnsByRefReadonly)
        {
            return null;
        }

        ITypeSymbol type = candidate.ReturnType;
        switch (shape)
        {
            case ReturnShape.Void:
                return candidate.ReturnsVoid ? FallbackReturn.SameType : null;
            case ReturnShape.Value:
            case ReturnShape.AsyncStream:
                return SameType(type, method.ReturnType) && Returns(type, method.ReturnType) ? FallbackReturn.SameType : null;
            case ReturnShape.Task:
            case ReturnShape.ValueTask:
                return candidate.ReturnsVoid ? FallbackReturn.Void
                    : SameType(type, known.Task) ? FallbackReturn.Task
                    : SameType(type, known.ValueTask) ? FallbackReturn.ValueTask
                    : null;
            default:
                ITypeSymbol result = ((INamedTypeSymbol)method.ReturnType).TypeArguments[0];
                if (SameType(type, result) && Nullability.IsAssignable(type, result))
                {
                    return FallbackReturn.Result;
                }

                if (type is INamedTypeSymbol { TypeArguments.Length: 1 } named && SameType(named.TypeArguments[0], result) && Nullability.IsSame(named.TypeArguments[0], result))
                {
                    return SameType(named.OriginalDefinition, known.TaskOfT) ? FallbackReturn.Task
                        : SameType(named.OriginalDefinition, known.ValueTaskOfT) ? FallbackReturn.ValueTask
                        : null;
                }

                return null;
        }
    }

    /// <summary>
    /// Methods with that name on the containing type and the members its base types expose to it; a base method that a
    /// method found before overrides or hides (same parameters) is left out, as a call would never reach it.
    /// </summary>
    private static IEnumerable<IMethodSymbol> Candidates(IMethodSymbol method, string name) => Candidates(method.ContainingType, name);

    private static IEnumerable<IMethodSymbol> Candidates(INamedTypeSymbol owner, string name)
    {
        var found = new List<IMethodSymbol>();
        for (INamedTypeSymbol? type = owner; type is not null; type = type.BaseType)
        {
            foreach (IMethodSymbol member in type.GetMembers(name).OfType<IMethodSymbol>())
            {
                bool visible = SymbolEqualityComparer.Default.Equals(type, owner)
                    || member.DeclaredAccessibility is not (Accessibility.Private or Accessibility.NotApplicable);
                if (visible && member.MethodKind == MethodKind.Ordinary && !found.Any(f => Overrides(f, member) || Hides(f, member)))
                {
                    found.Add(member);
                    yield return member;
                }
            }
        }
    }

    private static bool Overrides(IMethodSymbol derived, IMethodSymbol member)
    {
        for (IMethodSymbol? overridden = derived.OverriddenMethod; overridden is not null; overridden = overridden.OverriddenMethod)
        {
            if (SymbolEqualityComparer.Default.Equals(overridden.OriginalDefinition, member.OriginalDefinition))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Hides(IMethodSymbol derived, IMethodSymbol member) =>
        derived.Arity == 0 && member.Arity == 0
        && derived.Parameters.Length == member.Parameters.Length
        && derived.Parameters.Zip(member.Parameters, (d, m) => d.RefKind == m.RefKind && SameType(d.Type, m.Type)).All(same => same);

    /// <summary>
    /// Puts the guarded method's type parameters into a generic candidate (same arity), so parameter types compare directly.
    /// Returns <see langword="null"/> when the arities differ or the candidate's constraints are not implied by the method's.
    /// </summary>
    private static IMethodSymbol? Substitute(IMethodSymbol candidate, IMethodSymbol method)
    {
        if (candidate.Arity == 0)
        {
            return candidate;
        }

        if (candidate.Arity != method.Arity)
        {
            return null;
        }

        ImmutableArray<ITypeSymbol> arguments = method.TypeParameters.CastArray<ITypeSymbol>();
        for (int i = 0; i < candidate.Arity; i++)
        {
            if (!ConstraintsImplied(candidate.TypeParameters[i], method.TypeParameters[i], candidate, arguments))
            {
                return null;
            }
        }

        return candidate.Construct(arguments.ToArray());
    }

    private static bool ConstraintsImplied(ITypeParameterSymbol required, ITypeParameterSymbol given, IMethodSymbol candidate, ImmutableArray<ITypeSymbol> arguments)
    {
        bool nullableGiven = given.HasReferenceTypeConstraint && given.ReferenceTypeConstraintNullableAnnotation == NullableAnnotation.Annotated;
        bool nonNullRequired = required.HasNotNullConstraint
            || (required.HasReferenceTypeConstraint && required.ReferenceTypeConstraintNullableAnnotation == NullableAnnotation.NotAnnotated);
        if ((required.HasReferenceTypeConstraint && !given.HasReferenceTypeConstraint)
            || (nonNullRequired && nullableGiven)
            || (required.HasValueTypeConstraint && !given.HasValueTypeConstraint)
            || (required.HasUnmanagedTypeConstraint && !given.HasUnmanagedTypeConstraint)
            || (required.HasNotNullConstraint && !(given.HasNotNullConstraint || given.HasValueTypeConstraint || given.HasReferenceTypeConstraint))
            || (required.HasConstructorConstraint && !(given.HasConstructorConstraint || given.HasValueTypeConstraint))
            || (given.AllowsRefLikeType && !required.AllowsRefLikeType))
        {
            return false;
        }

        return required.ConstraintTypes.All(r => given.ConstraintTypes.Any(g => SameTypeMapped(r, g, candidate, arguments)));
    }

    /// <summary>Compares a type written in the candidate with one written in the guarded method, mapping the candidate's type parameters.</summary>
    private static bool SameTypeMapped(ITypeSymbol candidateType, ITypeSymbol methodType, IMethodSymbol candidate, ImmutableArray<ITypeSymbol> arguments)
    {
        switch (candidateType)
        {
            case ITypeParameterSymbol { TypeParameterKind: TypeParameterKind.Method } parameter
                when SymbolEqualityComparer.Default.Equals(parameter.DeclaringMethod, candidate):
                return SameType(arguments[parameter.Ordinal], methodType);
            case IArrayTypeSymbol array:
                return methodType is IArrayTypeSymbol other && array.Rank == other.Rank
                    && SameTypeMapped(array.ElementType, other.ElementType, candidate, arguments);
            case INamedTypeSymbol { IsGenericType: true } named:
                return methodType is INamedTypeSymbol { IsGenericType: true } otherNamed
                    && SameType(named.OriginalDefinition, otherNamed.OriginalDefinition)
                    && named.TypeArguments.Zip(otherNamed.TypeArguments, (c, m) => SameTypeMapped(c, m, candidate, arguments)).All(same => same);
            default:
                return SameType(candidateType, methodType);
        }
    }

    /// <summary>Same count, ref kinds and types, and the guarded method's arguments pass without a nullable warning.</summary>
    private static bool SameParameters(ImmutableArray<IParameterSymbol> candidate, ImmutableArray<IParameterSymbol> own) =>
        candidate.Length == own.Length
        && candidate.Zip(own, (c, o) => NormalizedRefKind(c.RefKind) == NormalizedRefKind(o.RefKind) && SameType(c.Type, o.Type) && Passes(o, c)).All(same => same);

    private static bool Passes(IParameterSymbol argument, IParameterSymbol parameter) => parameter.RefKind switch
    {
        RefKind.Out => Nullability.IsAssignable(parameter.Type, argument.Type),
        RefKind.Ref => Nullability.IsSame(parameter.Type, argument.Type),
        _ => Nullability.IsAssignable(argument.Type, parameter.Type),
    };

    /// <summary>Whether a callee's return value can be returned from the guarded method without a nullable warning.</summary>
    private static bool Returns(ITypeSymbol callee, ITypeSymbol guarded) => Nullability.IsAssignable(callee, guarded);

    private static RefKind NormalizedRefKind(RefKind kind) => kind == RefKind.RefReadOnlyParameter ? RefKind.In : kind;

    private static bool SameType(ITypeSymbol? left, ITypeSymbol? right) => left is not null && SymbolEqualityComparer.Default.Equals(left, right);

    private static bool Converts(ITypeSymbol from, ITypeSymbol to, KnownTypes known)
    {
        CommonConversion conversion = known.Compilation.ClassifyCommonConversion(from, to);
        return conversion.Exists && conversion.IsImplicit && !conversion.IsUserDefined;
    }

    /// <summary>Whether an exception parameter of type <paramref name="parameterType"/> can take an <paramref name="exception"/>.</summary>
    private static bool Accepts(INamedTypeSymbol parameterType, INamedTypeSymbol? exception, KnownTypes known)
    {
        for (INamedTypeSymbol? type = exception ?? known.Exception; type is not null; type = type.BaseType)
        {
            if (SameType(type, parameterType))
            {
                return true;
            }
        }

        return false;
    }

    private static int Depth(ITypeSymbol type)
    {
        int depth = 0;
        for (INamedTypeSymbol? current = type.BaseType; current is not null; current = current.BaseType)
        {
            depth++;
        }

        return depth;
    }

    private static MemberCallModel Call(IMethodSymbol method) =>
        new MemberCallModel(SymbolNames.Identifier(method.Name), method.IsStatic, method.OriginalDefinition.Arity > 0);

    /// <summary>Members with that name that are not methods (fields, properties, events, nested types), visible as <see cref="Candidates(IMethodSymbol, string)"/> are.</summary>
    private static IEnumerable<ISymbol> OtherMembers(IMethodSymbol method, string name)
    {
        for (INamedTypeSymbol? type = method.ContainingType; type is not null; type = type.BaseType)
        {
            foreach (ISymbol? member in type.GetMembers(name).Concat(type.GetTypeMembers(name)))
            {
                bool visible = SymbolEqualityComparer.Default.Equals(type, method.ContainingType)
                    || member.DeclaredAccessibility is not (Accessibility.Private or Accessibility.NotApplicable);
                if (visible && member is not IMethodSymbol)
                {
                    yield return member;
                }
            }
        }
    }

    private static string MemberKind(ISymbol member) => member switch
    {
        IFieldSymbol field => field.IsConst ? "constant" : "field",
        IPropertySymbol => "property",
        IEventSymbol => "event",
        ITypeSymbol => "type",
        _ => "member",
    };

    private static EquatableArray<string> Values(params string[] values) => EquatableArray.From(values);

    /// <summary>An overload whose parameters fit an accepted shape; <see cref="Returns"/> is <see langword="null"/> when its return type does not fit.</summary>
    private sealed record ShapedFallback(IMethodSymbol Symbol, INamedTypeSymbol? ExceptionType, bool PassesArguments, FallbackReturn? Returns);
}
