using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Breaker.Generator.CodeFixes;

/// <summary>Adds <c>partial</c> as the last modifier, where C# requires it: right before the type keyword or the return type.</summary>
internal static class PartialModifier
{
    /// <summary>Whether the declaration already says <c>partial</c>.</summary>
    public static bool Has(MemberDeclarationSyntax declaration) => declaration.Modifiers.Any(SyntaxKind.PartialKeyword);

    /// <summary>The type declaration with <c>partial</c> added.</summary>
    public static TypeDeclarationSyntax Add(TypeDeclarationSyntax type)
    {
        if (type.Modifiers.Count > 0)
        {
            return type.WithModifiers(type.Modifiers.Add(Token()));
        }

        SyntaxToken keyword = type.Keyword;
        return type
            .WithKeyword(keyword.WithLeadingTrivia(SyntaxFactory.TriviaList()))
            .WithModifiers(SyntaxFactory.TokenList(Token().WithLeadingTrivia(keyword.LeadingTrivia)));
    }

    /// <summary>
    /// The method declaration with <c>partial</c> added, and <c>private</c> when C# requires an accessibility a partial
    /// method does not have (it returns a value or has an <c>out</c> parameter).
    /// </summary>
    public static MethodDeclarationSyntax Add(MethodDeclarationSyntax method)
    {
        // The declaration's indentation moves to its new first modifier.
        SyntaxTriviaList leading = method.Modifiers.Count > 0 ? method.Modifiers[0].LeadingTrivia : method.ReturnType.GetLeadingTrivia();
        SyntaxTokenList modifiers = SyntaxFactory.TokenList(method.Modifiers.Select((m, i) => i == 0 ? m.WithLeadingTrivia(SyntaxFactory.TriviaList()) : m)).Add(Token());
        if (NeedsAccessibility(method))
        {
            modifiers = modifiers.Insert(0, SyntaxFactory.Token(SyntaxKind.PrivateKeyword).WithTrailingTrivia(SyntaxFactory.Space));
        }

        return method
            .WithReturnType(method.Modifiers.Count > 0 ? method.ReturnType : method.ReturnType.WithLeadingTrivia(SyntaxFactory.TriviaList()))
            .WithModifiers(modifiers.Replace(modifiers[0], modifiers[0].WithLeadingTrivia(leading)));
    }

    private static bool NeedsAccessibility(MethodDeclarationSyntax method)
    {
        bool hasAccessibility = method.Modifiers.Any(m => m.IsKind(SyntaxKind.PublicKeyword) || m.IsKind(SyntaxKind.PrivateKeyword)
            || m.IsKind(SyntaxKind.ProtectedKeyword) || m.IsKind(SyntaxKind.InternalKeyword));
        bool returnsVoid = method.ReturnType is PredefinedTypeSyntax predefined && predefined.Keyword.IsKind(SyntaxKind.VoidKeyword);
        bool hasOut = method.ParameterList.Parameters.Any(p => p.Modifiers.Any(SyntaxKind.OutKeyword));
        return !hasAccessibility && (!returnsVoid || hasOut);
    }

    private static SyntaxToken Token() => SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space);
}
