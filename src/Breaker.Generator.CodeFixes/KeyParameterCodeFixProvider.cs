using System;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Breaker.Generator.Analyzers;
using Breaker.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Breaker.Generator.CodeFixes;

/// <summary>BRK0022: offers each parameter that could be the key, as <c>Key = nameof(parameter)</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(KeyParameterCodeFixProvider))]
[Shared]
public sealed class KeyParameterCodeFixProvider : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.KeyParameterNotFound.Id);

    /// <inheritdoc />
    public override FixAllProvider? GetFixAllProvider() => null;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span).AncestorsAndSelf().OfType<AttributeArgumentSyntax>().FirstOrDefault() is not { } argument)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(FailureDiagnostics.KeyCandidatesProperty, out string? candidates) || string.IsNullOrEmpty(candidates))
            {
                continue;
            }

            foreach (string parameter in candidates!.Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries))
            {
                string identifier = SyntaxFacts.GetKeywordKind(parameter) != SyntaxKind.None ? "@" + parameter : parameter;
                ExpressionSyntax nameOf = SyntaxFactory.ParseExpression("nameof(" + identifier + ")").WithTriviaFrom(argument.Expression);
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Key by parameter '" + parameter + "'",
                        _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(argument.Expression, nameOf))),
                        nameof(KeyParameterCodeFixProvider) + "." + parameter),
                    diagnostic);
            }
        }
    }
}
