using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Breaker.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace Breaker.Generator.CodeFixes;

/// <summary>
/// BRK0001, BRK0002: makes the guarded method and every type that contains it <c>partial</c>. A method that has a body
/// keeps it: the body moves to the implementation method (<c>Name</c> + <c>Core</c>) the generated code calls.
/// BRK0026: makes the decorator class and every type that contains it <c>partial</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakePartialCodeFixProvider))]
[Shared]
public sealed class MakePartialCodeFixProvider : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.MethodNotPartial.Id, DiagnosticDescriptors.ContainingTypeNotPartial.Id, DiagnosticDescriptors.DecoratorNotPartial.Id);

    /// <inheritdoc />
    public override FixAllProvider? GetFixAllProvider() => null;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is not null && context.Diagnostics.All(d => d.Id == DiagnosticDescriptors.DecoratorNotPartial.Id))
        {
            ClassDeclarationSyntax? decorator = root.FindNode(context.Span).AncestorsAndSelf().OfType<ClassDeclarationSyntax>().FirstOrDefault();
            if (decorator is not null)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Make '" + decorator.Identifier.ValueText + "' and its containing types partial",
                        _ => Task.FromResult(context.Document.WithSyntaxRoot(MakeTypesPartial(root, decorator.AncestorsAndSelf().OfType<TypeDeclarationSyntax>()))),
                        nameof(MakePartialCodeFixProvider) + "Decorator"),
                    context.Diagnostics);
            }

            return;
        }

        MethodDeclarationSyntax? method = root?.FindNode(context.Span).AncestorsAndSelf().OfType<MethodDeclarationSyntax>().FirstOrDefault();
        if (root is null || method is null)
        {
            return;
        }

        bool hasBody = method.Body is not null || method.ExpressionBody is not null;
        if (hasBody && PartialModifier.Has(method))
        {
            return;
        }

        string implementation = method.Identifier.ValueText + "Core";
        if (hasBody && await HasMemberAsync(context.Document, method, implementation, context.CancellationToken).ConfigureAwait(false))
        {
            return;
        }

        string title = hasBody
            ? "Make '" + method.Identifier.ValueText + "' partial and move its body to '" + implementation + "'"
            : "Make '" + method.Identifier.ValueText + "' and its containing types partial";
        context.RegisterCodeFix(
            CodeAction.Create(title, _ => Task.FromResult(context.Document.WithSyntaxRoot(Fix(root, method, implementation))), nameof(MakePartialCodeFixProvider)),
            context.Diagnostics);
    }

    private static SyntaxNode Fix(SyntaxNode root, MethodDeclarationSyntax method, string implementation)
    {
        var types = method.Ancestors().OfType<TypeDeclarationSyntax>().Where(t => !PartialModifier.Has(t)).ToList();
        SyntaxNode tracked = root.TrackNodes(types.Cast<SyntaxNode>().Append(method));
        MethodDeclarationSyntax current = tracked.GetCurrentNode(method)!;
        bool hasBody = current.Body is not null || current.ExpressionBody is not null;
        if (hasBody)
        {
            MethodDeclarationSyntax moved = Stubs.Implementation(current, implementation, current.Body, current.ExpressionBody);
            tracked = tracked.InsertNodesAfter(current, new[] { moved });
            current = tracked.GetCurrentNode(method)!;
            tracked = tracked.ReplaceNode(current, current
                .WithBody(null)
                .WithExpressionBody(null)
                .WithSemicolonToken(SyntaxFactory.Token(SyntaxKind.SemicolonToken))
                .WithAdditionalAnnotations(Formatter.Annotation));
            current = tracked.GetCurrentNode(method)!;
        }

        if (!PartialModifier.Has(current))
        {
            tracked = tracked.ReplaceNode(current, PartialModifier.Add(current));
        }

        foreach (TypeDeclarationSyntax? type in types)
        {
            TypeDeclarationSyntax node = tracked.GetCurrentNode(type)!;
            tracked = tracked.ReplaceNode(node, PartialModifier.Add(node));
        }

        return tracked;
    }

    private static SyntaxNode MakeTypesPartial(SyntaxNode root, System.Collections.Generic.IEnumerable<TypeDeclarationSyntax> declarations)
    {
        var types = declarations.Where(t => !PartialModifier.Has(t)).ToList();
        SyntaxNode tracked = root.TrackNodes(types);
        foreach (TypeDeclarationSyntax type in types)
        {
            TypeDeclarationSyntax node = tracked.GetCurrentNode(type)!;
            tracked = tracked.ReplaceNode(node, PartialModifier.Add(node));
        }

        return tracked;
    }

    private static async Task<bool> HasMemberAsync(Document document, MethodDeclarationSyntax method, string name, CancellationToken cancellationToken)
    {
        SemanticModel? model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        INamedTypeSymbol? type = model?.GetDeclaredSymbol(method, cancellationToken)?.ContainingType;
        return type is null || !type.GetMembers(name).IsEmpty;
    }
}
