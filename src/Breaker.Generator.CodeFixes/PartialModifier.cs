using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Breaker.Generator.CodeFixes
{
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

            var keyword = type.Keyword;
            return type
                .WithKeyword(keyword.WithLeadingTrivia(SyntaxFactory.TriviaList()))
                .WithModifiers(SyntaxFactory.TokenList(Token().WithLeadingTrivia(keyword.LeadingTrivia)));
        }

        /// <summary>The method declaration with <c>partial</c> added.</summary>
        public static MethodDeclarationSyntax Add(MethodDeclarationSyntax method)
        {
            if (method.Modifiers.Count > 0)
            {
                return method.WithModifiers(method.Modifiers.Add(Token()));
            }

            var returnType = method.ReturnType;
            return method
                .WithReturnType(returnType.WithLeadingTrivia(SyntaxFactory.TriviaList()))
                .WithModifiers(SyntaxFactory.TokenList(Token().WithLeadingTrivia(returnType.GetLeadingTrivia())));
        }

        private static SyntaxToken Token() => SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space);
    }
}
