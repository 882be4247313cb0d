using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Breaker.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Breaker.Generator.Parsing;

/// <summary>Turns a <c>[CircuitBreaker]</c> method into a <see cref="GuardedMethodModel"/>, or says why it cannot.</summary>
internal static class GuardedMethodParser
{
    /// <summary>The attribute's metadata name.</summary>
    public const string AttributeMetadataName = "Breaker.CircuitBreakerAttribute";

    /// <summary>Parses the method the generator's pipeline found; <see langword="null"/> when it yields no code at all.</summary>
    public static ParsedMethodModel? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not IMethodSymbol method || context.Attributes.Length != 1)
        {
            return null;
        }

        ParseResult result = Resolve(method, context.Attributes[0], new KnownTypes(context.SemanticModel.Compilation), cancellationToken);
        return result.Model is not null || result.Unresolved is not null ? new ParsedMethodModel(result.Model, result.Unresolved) : null;
    }

    /// <summary>
    /// Runs every check on <paramref name="method"/> and collects every failure, in a fixed order: the generator uses the
    /// model, the analyzers report the failures, so the two never disagree. Checks that depend on a failed one (the named
    /// members on the return shape and the containing type) are skipped.
    /// </summary>
    public static ParseResult Resolve(IMethodSymbol method, AttributeData attribute, KnownTypes known, CancellationToken cancellationToken)
    {
        Resolution<AttributeReader> arguments = AttributeReader.Read(attribute);
        if (arguments.Failure is not null)
        {
            return ParseResult.Failed(arguments.Failure);
        }

        AttributeReader reader = arguments.Value!;
        var failures = new List<ParseFailure>();
        failures.AddIfFailed(reader.CheckName());
        failures.AddIfFailed(SignatureReader.CheckPartialDefinition(method));
        if (method.DeclaringSyntaxReferences.Length == 0
            || method.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not MethodDeclarationSyntax declaration)
        {
            failures.Add(new ParseFailure(ParseFailureReason.InvalidDeclaration, method.Name));
            return new ParseResult(failures, null);
        }

        ParseFailure? declarationFailure = SignatureReader.CheckDeclaration(method, declaration);
        if (declarationFailure is not null)
        {
            failures.Add(declarationFailure);
            return new ParseResult(failures, null);
        }

        Resolution<EquatableArray<ContainingTypeModel>> containingTypes = SignatureReader.ReadContainingTypes(method);
        failures.AddIfFailed(containingTypes.Failure);
        Resolution<ReturnShape> shape = SignatureReader.ReadShape(method, known);
        failures.AddIfFailed(shape.Failure);
        if (shape.Failure is null)
        {
            failures.AddIfFailed(SignatureReader.CheckParameters(method, shape.Value));
        }

        // The members the attribute names are looked up only for a method that could be generated otherwise.
        cancellationToken.ThrowIfCancellationRequested();
        bool resolvable = shape.Failure is null && containingTypes.Failure?.Reason != ParseFailureReason.UnsupportedContainingType;
        // In a decorator, a customised member forwards to the inner instance unless the attribute names an implementation.
        Resolution<MemberCallModel> implementation = !resolvable ? default
            : reader.Implementation is null && DecoratorParser.IsDecorator(method.ContainingType, known) ? DecoratorParser.ResolveInnerCall(method)
            : MemberResolver.ResolveImplementation(method, reader.Implementation ?? MemberResolver.DefaultImplementationName(method));
        failures.AddIfFailed(implementation.Failure, reader.Implementation is null ? null : "Implementation");

        FallbackModel? fallback = null;
        if (reader.Fallback is { } fallbackName && resolvable)
        {
            Resolution<FallbackModel> resolved = MemberResolver.ResolveFallback(method, fallbackName, shape.Value, known);
            failures.AddIfFailed(resolved.Failure, "Fallback");
            fallback = resolved.Value;
        }

        ITypeSymbol? resultType = shape.Failure is null ? SignatureReader.ResultType(method, shape.Value) : null;
        MemberCallModel? failureWhen = null;
        if (reader.FailureWhen is { } predicateName && resolvable)
        {
            // A stream has no one result to judge: its elements are not outcomes.
            Resolution<MemberCallModel> resolved = MemberResolver.ResolveFailureWhen(method, predicateName, shape.Value == ReturnShape.AsyncStream ? null : resultType, known);
            failures.AddIfFailed(resolved.Failure, "FailureWhen");
            failureWhen = resolved.Value;
        }

        string overload = OverloadSuffix(method);
        BreakDurationHookModel? hook = null;
        if (reader.BreakDurationHook is { } hookName && resolvable)
        {
            Resolution<string> resolved = MemberResolver.ResolveBreakDurationHook(method, hookName, known);
            failures.AddIfFailed(resolved.Failure, "BreakDurationHook");
            if (resolved.Failure is null)
            {
                string forwarder = "__breakDurationHook_" + method.Name + overload;
                hook = new BreakDurationHookModel(resolved.Value!, forwarder, SymbolNames.Type(method.ContainingType) + "." + forwarder);
            }
        }

        Resolution<IReadOnlyList<INamedTypeSymbol>> handles = reader.ExceptionTypeSymbols("Handles", known);
        failures.AddIfFailed(handles.Failure);
        Resolution<IReadOnlyList<INamedTypeSymbol>> ignores = reader.ExceptionTypeSymbols("Ignores", known);
        failures.AddIfFailed(ignores.Failure);
        if (handles.Failure is null && ignores.Failure is null)
        {
            failures.AddIfFailed(AttributeReader.CheckOverlap(handles.Value!, ignores.Value!));
        }

        KeyModel? key = null;
        if (reader.Key is { } keyName)
        {
            Resolution<KeyModel> resolved = KeyResolver.Resolve(method, keyName);
            failures.AddIfFailed(resolved.Failure, "Key");
            key = resolved.Value;
        }

        failures.AddRange(reader.CheckSettings());
        if (reader.IsSet("PerMethod"))
        {
            failures.Add(new ParseFailure(ParseFailureReason.SettingNotApplicable, "PerMethod") { Argument = "PerMethod" });
        }

        if (shape.Failure is null && !SignatureReader.IsAsync(shape.Value) && reader.TimeoutMs > 0)
        {
            failures.Add(new ParseFailure(ParseFailureReason.TimeoutOnSynchronousMethod, method.Name) { Argument = "TimeoutMs" });
        }

        if (failures.Count > 0)
        {
            // A sound declaration whose attribute is wrong still gets a (throwing) body: the build then reports the
            // Breaker error that says what is wrong, instead of the compiler's "no implementation part".
            UnresolvedMethodModel? unresolved = failures.TrueForAll(f => ResolutionReasons.Contains(f.Reason)) && containingTypes.Failure is null && shape.Failure is null
                ? new UnresolvedMethodModel(
                    HintName(method, overload),
                    SignatureReader.ReadNamespace(method),
                    containingTypes.Value,
                    SignatureReader.ReadSignature(method, declaration, known))
                : null;
            return new ParseResult(failures, null, unresolved);
        }

        return new ParseResult(failures, new GuardedMethodModel(
            HintName(method, overload),
            SignatureReader.ReadNamespace(method),
            containingTypes.Value,
            SymbolNames.Type(method.ContainingType),
            SignatureReader.ReadSignature(method, declaration, known),
            new BreakerSettingsModel(reader.Name, reader.Options(), hook),
            (key is null ? "__breaker_" : "__breakers_") + method.Name + overload,
            shape.Value,
            resultType is null ? null : SymbolNames.Type(resultType),
            implementation.Value!,
            fallback,
            failureWhen,
            EquatableArray.From(handles.Value!.Select(SymbolNames.Type).Distinct()),
            EquatableArray.From(ignores.Value!.Select(SymbolNames.Type).Distinct()),
            key));
    }

    /// <summary>Failures in what the attribute names or sets, as opposed to the declaration itself.</summary>
    private static readonly HashSet<ParseFailureReason> ResolutionReasons = new HashSet<ParseFailureReason>
    {
        ParseFailureReason.MissingBreakerName,
        ParseFailureReason.ImplementationNotFound,
        ParseFailureReason.ImplementationSignatureMismatch,
        ParseFailureReason.ImplementationNotStatic,
        ParseFailureReason.FallbackNotFound,
        ParseFailureReason.FallbackNotMethod,
        ParseFailureReason.FallbackSignatureMismatch,
        ParseFailureReason.FallbackReturnTypeMismatch,
        ParseFailureReason.FallbackNotStatic,
        ParseFailureReason.FallbackAmbiguous,
        ParseFailureReason.FailureWhenNotFound,
        ParseFailureReason.FailureWhenSignatureMismatch,
        ParseFailureReason.FailureWhenNotStatic,
        ParseFailureReason.FailureWhenWithoutResult,
        ParseFailureReason.BreakDurationHookNotFound,
        ParseFailureReason.BreakDurationHookSignatureMismatch,
        ParseFailureReason.BreakDurationHookNotStatic,
        ParseFailureReason.BreakDurationHookUnreachable,
        ParseFailureReason.InvalidExceptionType,
        ParseFailureReason.ExceptionTypeHandledAndIgnored,
        ParseFailureReason.SettingOutOfRange,
        ParseFailureReason.TimeoutOnSynchronousMethod,
        ParseFailureReason.KeyParameterNotFound,
        ParseFailureReason.KeyParameterByReference,
        ParseFailureReason.KeyTypeWithoutValueEquality,
        ParseFailureReason.DecoratorInterfaceCount,
        ParseFailureReason.DecoratorWithoutInner,
        ParseFailureReason.DecoratorMethodMatchesNoMember,
        ParseFailureReason.SettingNotApplicable,
    };

    /// <summary>Adds <paramref name="failure"/>, if any, naming <paramref name="argument"/> when given.</summary>
    internal static void AddIfFailed(this List<ParseFailure> failures, ParseFailure? failure, string? argument = null)
    {
        if (failure is not null)
        {
            failures.Add(argument is null ? failure : failure with { Argument = argument });
        }
    }

    /// <summary>Empty for a method without overloads; otherwise <c>_</c> and its position among the overloads.</summary>
    private static string OverloadSuffix(IMethodSymbol method)
    {
        var overloads = method.ContainingType.GetMembers(method.Name).OfType<IMethodSymbol>().ToList();
        return overloads.Count == 1 ? string.Empty : "_" + overloads.FindIndex(m => SymbolEqualityComparer.Default.Equals(m, method));
    }

    private static string HintName(IMethodSymbol method, string overload) => TypeHintName(method.ContainingType) + "." + method.Name + overload + ".g.cs";

    /// <summary>The part of a generated file's name that names the type: namespace, containing types joined by <c>+</c>.</summary>
    internal static string TypeHintName(INamedTypeSymbol type)
    {
        string name = type.MetadataName;
        for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            name = outer.MetadataName + "+" + name;
        }

        if (!type.ContainingNamespace.IsGlobalNamespace)
        {
            name = type.ContainingNamespace.ToDisplayString() + "." + name;
        }

        return name.Replace('`', '_');
    }
}
