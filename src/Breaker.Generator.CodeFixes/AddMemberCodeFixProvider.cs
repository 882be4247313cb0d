using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Breaker.Generator.Analyzers;
using Breaker.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Breaker.Generator.CodeFixes;

/// <summary>
/// BRK0004: declares the missing implementation method. BRK0006, BRK0009: declares a fallback that takes the guarded
/// method's parameters and the exception. Both are placed after the guarded method and throw until written.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddMemberCodeFixProvider))]
[Shared]
public sealed class AddMemberCodeFixProvider : CodeFixProvider
{
    private static readonly SymbolDisplayFormat NullableFormat = SymbolDisplayFormat.MinimallyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.ImplementationNotFound.Id,
        DiagnosticDescriptors.FallbackNotFound.Id,
        DiagnosticDescriptors.FallbackSignatureMismatch.Id);

    /// <inheritdoc />
    public override FixAllProvider? GetFixAllProvider() => null;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        MethodDeclarationSyntax? method = root?.FindNode(context.Span).AncestorsAndSelf().OfType<MethodDeclarationSyntax>().FirstOrDefault();
        if (root is null || method is null)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(FailureDiagnostics.MemberNameProperty, out string? name)
                || name is null
                || !SyntaxFacts.IsValidIdentifier(name))
            {
                continue;
            }

            bool isImplementation = diagnostic.Id == DiagnosticDescriptors.ImplementationNotFound.Id;
            string title = isImplementation
                ? "Add the implementation method '" + name + "'"
                : "Add the fallback method '" + name + "'";
            context.RegisterCodeFix(
                CodeAction.Create(
                    title,
                    cancellationToken => AddAsync(context.Document, root, method, name, isImplementation, cancellationToken),
                    nameof(AddMemberCodeFixProvider) + (isImplementation ? ".Implementation" : ".Fallback")),
                diagnostic);
        }
    }

    private static async Task<Document> AddAsync(Document document, SyntaxNode root, MethodDeclarationSyntax method, string name, bool isImplementation, CancellationToken cancellationToken)
    {
        MethodDeclarationSyntax stub;
        if (isImplementation)
        {
            stub = Stubs.Implementation(method, name);
        }
        else
        {
            SemanticModel? model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            IMethodSymbol? symbol = model?.GetDeclaredSymbol(method, cancellationToken);
            if (model is null || symbol is null)
            {
                return document;
            }

            stub = Stubs.Fallback(method, FallbackReturnType(symbol, method, model), name);
        }

        return document.WithSyntaxRoot(root.InsertNodesAfter(method, new[] { Stubs.OnItsOwnLines(stub, method) }));
    }

    /// <summary>The guarded method's return type for a synchronous method, its result for <c>Task&lt;T&gt;</c>/<c>ValueTask&lt;T&gt;</c>, <c>void</c> for <c>Task</c>/<c>ValueTask</c>.</summary>
    private static TypeSyntax FallbackReturnType(IMethodSymbol symbol, MethodDeclarationSyntax method, SemanticModel model)
    {
        if (symbol.ReturnType is INamedTypeSymbol { ContainingNamespace: { } space } returned
            && space.ToDisplayString() == "System.Threading.Tasks"
            && returned.Name is "Task" or "ValueTask")
        {
            return returned.TypeArguments.Length == 0
                ? SyntaxFactory.PredefinedType(SyntaxFactory.Token(SyntaxKind.VoidKeyword))
                : SyntaxFactory.ParseTypeName(returned.TypeArguments[0].ToMinimalDisplayString(model, method.SpanStart, NullableFormat));
        }

        return method.ReturnType.WithoutTrivia();
    }
}
