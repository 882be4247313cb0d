using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Breaker.Generator.Analyzers;

/// <summary>Finds the guarded method a method declaration declares, or the decorator a class declaration declares, as the generator's pipeline does.</summary>
internal static class GuardedMethods
{
    /// <summary>
    /// The method and its one <c>[CircuitBreaker]</c> when the analyzed declaration is a method's definition (or its only
    /// part) carrying the attribute; a method's implementation part is analyzed through its definition.
    /// </summary>
    public static (IMethodSymbol Method, AttributeData Attribute)? Find(SyntaxNodeAnalysisContext context, INamedTypeSymbol attributeType)
    {
        var declaration = (MethodDeclarationSyntax)context.Node;
        if (declaration.AttributeLists.Count == 0 && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            return null;
        }

        if (context.SemanticModel.GetDeclaredSymbol(declaration, context.CancellationToken) is not { PartialDefinitionPart: null } method)
        {
            return null;
        }

        var attributes = method.GetAttributes().Where(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attributeType)).ToList();
        return attributes.Count == 1 ? (method, attributes[0]) : null;
    }

    /// <summary>
    /// The decorator and its <c>[CircuitBreaker]</c> when the analyzed class declaration is the part that carries the
    /// attribute (a decorator is analyzed once, from that part).
    /// </summary>
    public static (INamedTypeSymbol Type, AttributeData Attribute)? FindDecorator(SyntaxNodeAnalysisContext context, INamedTypeSymbol attributeType)
    {
        var declaration = (ClassDeclarationSyntax)context.Node;
        if (declaration.AttributeLists.Count == 0
            || context.SemanticModel.GetDeclaredSymbol(declaration, context.CancellationToken) is not { } type)
        {
            return null;
        }

        AttributeData? attribute = type.GetAttributes().FirstOrDefault(a =>
            SymbolEqualityComparer.Default.Equals(a.AttributeClass, attributeType)
            && a.ApplicationSyntaxReference is { } reference
            && reference.SyntaxTree == declaration.SyntaxTree
            && declaration.Span.Contains(reference.Span));
        return attribute is null ? null : (type, attribute);
    }
}
