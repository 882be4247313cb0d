using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace Breaker.Generator.CodeFixes;

/// <summary>Declares the methods the generated code calls, with signatures copied from the guarded method's declaration.</summary>
internal static class Stubs
{
    /// <summary>
    /// A private method with the guarded method's return type, type parameters, constraints and parameters (without
    /// defaults, <c>this</c> or <c>params</c>), and the given body, or one that throws <see cref="System.NotImplementedException"/>.
    /// </summary>
    public static MethodDeclarationSyntax Implementation(MethodDeclarationSyntax guarded, string name, BlockSyntax? body = null, ArrowExpressionClauseSyntax? expressionBody = null) =>
        Method(guarded, guarded.ReturnType.WithoutTrivia(), name, Parameters(guarded), body, expressionBody);

    /// <summary>A fallback that takes the guarded method's parameters and the exception, and returns <paramref name="returnType"/>.</summary>
    public static MethodDeclarationSyntax Fallback(MethodDeclarationSyntax guarded, TypeSyntax returnType, string name)
    {
        SeparatedSyntaxList<ParameterSyntax> parameters = Parameters(guarded);
        string exceptionName = new[] { "exception", "error", "failure" }.FirstOrDefault(n => parameters.All(p => p.Identifier.ValueText != n)) ?? "exception_";
        ParameterSyntax exception = SyntaxFactory.Parameter(SyntaxFactory.Identifier(exceptionName))
            .WithType(Simplified("global::System.Exception"));
        return Method(guarded, returnType, name, parameters.Add(exception), null, null);
    }

    /// <summary>The stub after a blank line, indented like <paramref name="guarded"/>, ending its line.</summary>
    public static MethodDeclarationSyntax OnItsOwnLines(MethodDeclarationSyntax stub, MethodDeclarationSyntax guarded)
    {
        SyntaxTrivia endOfLine = guarded.GetTrailingTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        endOfLine = endOfLine.IsKind(SyntaxKind.EndOfLineTrivia) ? endOfLine : SyntaxFactory.LineFeed;
        SyntaxTrivia indentation = guarded.GetLeadingTrivia().LastOrDefault(t => t.IsKind(SyntaxKind.WhitespaceTrivia));
        SyntaxTriviaList leading = indentation.IsKind(SyntaxKind.WhitespaceTrivia)
            ? SyntaxFactory.TriviaList(endOfLine, indentation)
            : SyntaxFactory.TriviaList(endOfLine);
        return stub.WithLeadingTrivia(leading).WithTrailingTrivia(endOfLine);
    }

    /// <summary>A type name, written fully qualified and simplified where the file's usings allow.</summary>
    public static TypeSyntax Simplified(string typeName) =>
        SyntaxFactory.ParseTypeName(typeName).WithAdditionalAnnotations(Simplifier.Annotation);

    private static MethodDeclarationSyntax Method(
        MethodDeclarationSyntax guarded,
        TypeSyntax returnType,
        string name,
        SeparatedSyntaxList<ParameterSyntax> parameters,
        BlockSyntax? body,
        ArrowExpressionClauseSyntax? expressionBody)
    {
        SyntaxTokenList modifiers = SyntaxFactory.TokenList(SyntaxFactory.Token(SyntaxKind.PrivateKeyword));
        if (guarded.Modifiers.Any(SyntaxKind.StaticKeyword))
        {
            modifiers = modifiers.Add(SyntaxFactory.Token(SyntaxKind.StaticKeyword));
        }

        if (body is null && expressionBody is null)
        {
            expressionBody = SyntaxFactory.ArrowExpressionClause(SyntaxFactory.ThrowExpression(
                SyntaxFactory.ObjectCreationExpression(Simplified("global::System.NotImplementedException"))
                    .WithArgumentList(SyntaxFactory.ArgumentList())));
        }

        return SyntaxFactory.MethodDeclaration(returnType, SyntaxFactory.Identifier(name))
            .WithModifiers(modifiers)
            .WithTypeParameterList(guarded.TypeParameterList?.WithoutTrivia())
            .WithParameterList(SyntaxFactory.ParameterList(parameters))
            .WithConstraintClauses(SyntaxFactory.List(guarded.ConstraintClauses.Select(c => c.WithoutTrivia())))
            .WithBody(body?.WithoutTrivia())
            .WithExpressionBody(body is null ? expressionBody?.WithoutTrivia() : null)
            .WithSemicolonToken(body is null ? SyntaxFactory.Token(SyntaxKind.SemicolonToken) : default)
            .WithAdditionalAnnotations(Formatter.Annotation);
    }

    private static SeparatedSyntaxList<ParameterSyntax> Parameters(MethodDeclarationSyntax guarded) =>
        SyntaxFactory.SeparatedList(guarded.ParameterList.Parameters.Select(p => p
            .WithAttributeLists(default)
            .WithDefault(null)
            .WithModifiers(SyntaxFactory.TokenList(p.Modifiers.Where(m => !m.IsKind(SyntaxKind.ThisKeyword) && !m.IsKind(SyntaxKind.ParamsKeyword))))
            .WithoutTrivia()));
}
