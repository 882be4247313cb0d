using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Breaker.Generator.Analyzers;

/// <summary>Finds the guarded method a method declaration declares, as the generator's pipeline does.</summary>
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
}
