using System.Linq;
using System.Threading;
using Breaker.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Breaker.Generator.Parsing
{
    /// <summary>Turns a <c>[CircuitBreaker]</c> method into a <see cref="GuardedMethodModel"/>, or says why it cannot.</summary>
    internal static class GuardedMethodParser
    {
        /// <summary>The attribute's metadata name.</summary>
        public const string AttributeMetadataName = "Breaker.CircuitBreakerAttribute";

        /// <summary>Parses the method the generator's pipeline found; <see langword="null"/> when it yields no code.</summary>
        public static GuardedMethodModel? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken) =>
            context.TargetSymbol is IMethodSymbol method && context.Attributes.Length == 1
                ? Parse(method, context.Attributes[0], context.SemanticModel.Compilation, cancellationToken).Value
                : null;

        /// <summary>Parses <paramref name="method"/> guarded by <paramref name="attribute"/>.</summary>
        public static Resolution<GuardedMethodModel> Parse(IMethodSymbol method, AttributeData attribute, Compilation compilation, CancellationToken cancellationToken)
        {
            var known = new KnownTypes(compilation);
            var arguments = AttributeReader.Read(attribute);
            if (arguments.Failure is not null)
            {
                return Resolution<GuardedMethodModel>.Fail(arguments.Failure);
            }

            var reader = arguments.Value!;
            var failure = SignatureReader.CheckPartialDefinition(method);
            if (failure is not null)
            {
                return Resolution<GuardedMethodModel>.Fail(failure);
            }

            var declaration = (MethodDeclarationSyntax)method.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken);
            failure = SignatureReader.CheckDeclaration(method, declaration);
            if (failure is not null)
            {
                return Resolution<GuardedMethodModel>.Fail(failure);
            }

            var containingTypes = SignatureReader.ReadContainingTypes(method);
            if (containingTypes.Failure is not null)
            {
                return Resolution<GuardedMethodModel>.Fail(containingTypes.Failure);
            }

            var shape = SignatureReader.ReadShape(method, known);
            if (shape.Failure is not null)
            {
                return Resolution<GuardedMethodModel>.Fail(shape.Failure);
            }

            failure = SignatureReader.CheckParameters(method, shape.Value);
            if (failure is not null)
            {
                return Resolution<GuardedMethodModel>.Fail(failure);
            }

            cancellationToken.ThrowIfCancellationRequested();
            var implementation = MemberResolver.ResolveImplementation(method, reader.Implementation ?? MemberResolver.DefaultImplementationName(method));
            if (implementation.Failure is not null)
            {
                return Resolution<GuardedMethodModel>.Fail(implementation.Failure);
            }

            FallbackModel? fallback = null;
            if (reader.Fallback is { } fallbackName)
            {
                var resolved = MemberResolver.ResolveFallback(method, fallbackName, shape.Value, known);
                if (resolved.Failure is not null)
                {
                    return Resolution<GuardedMethodModel>.Fail(resolved.Failure);
                }

                fallback = resolved.Value;
            }

            var resultType = SignatureReader.ResultType(method, shape.Value);
            MemberCallModel? failureWhen = null;
            if (reader.FailureWhen is { } predicateName)
            {
                var resolved = MemberResolver.ResolveFailureWhen(method, predicateName, resultType, known);
                if (resolved.Failure is not null)
                {
                    return Resolution<GuardedMethodModel>.Fail(resolved.Failure);
                }

                failureWhen = resolved.Value;
            }

            var handles = reader.ExceptionTypes("Handles", known);
            if (handles.Failure is not null)
            {
                return Resolution<GuardedMethodModel>.Fail(handles.Failure);
            }

            var ignores = reader.ExceptionTypes("Ignores", known);
            if (ignores.Failure is not null)
            {
                return Resolution<GuardedMethodModel>.Fail(ignores.Failure);
            }

            var overload = OverloadSuffix(method);
            return Resolution<GuardedMethodModel>.Success(new GuardedMethodModel(
                HintName(method, overload),
                SignatureReader.ReadNamespace(method),
                containingTypes.Value,
                SymbolNames.Type(method.ContainingType),
                SignatureReader.ReadSignature(method, declaration, known),
                new BreakerSettingsModel(reader.Name, reader.Options()),
                "__breaker_" + method.Name + overload,
                shape.Value,
                resultType is null ? null : SymbolNames.Type(resultType),
                implementation.Value!,
                fallback,
                failureWhen,
                handles.Value,
                ignores.Value));
        }

        /// <summary>Empty for a method without overloads; otherwise <c>_</c> and its position among the overloads.</summary>
        private static string OverloadSuffix(IMethodSymbol method)
        {
            var overloads = method.ContainingType.GetMembers(method.Name).OfType<IMethodSymbol>().ToList();
            return overloads.Count == 1 ? string.Empty : "_" + overloads.FindIndex(m => SymbolEqualityComparer.Default.Equals(m, method));
        }

        private static string HintName(IMethodSymbol method, string overload)
        {
            var type = method.ContainingType;
            var name = type.MetadataName;
            for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
            {
                name = outer.MetadataName + "+" + name;
            }

            if (!type.ContainingNamespace.IsGlobalNamespace)
            {
                name = type.ContainingNamespace.ToDisplayString() + "." + name;
            }

            return name.Replace('`', '_') + "." + method.Name + overload + ".g.cs";
        }
    }
}
