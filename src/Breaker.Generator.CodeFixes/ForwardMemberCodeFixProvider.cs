using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Breaker.Generator.Analyzers;
using Breaker.Generator.Diagnostics;
using Breaker.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace Breaker.Generator.CodeFixes;

/// <summary>
/// BRK0029: writes the interface member the generator cannot guard (a by-reference return, a pointer, an async enumerator,
/// an async method with a by-reference parameter) in the decorator by hand, forwarding it unguarded to the inner instance:
/// the decorator's own field of the interface's type, or the <c>_inner</c> field the generator declares with its constructor.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ForwardMemberCodeFixProvider))]
[Shared]
public sealed class ForwardMemberCodeFixProvider : CodeFixProvider
{
    private static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.DecoratorMemberUnsupported.Id);

    /// <inheritdoc />
    public override FixAllProvider? GetFixAllProvider() => null;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        ClassDeclarationSyntax? declaration = root?.FindNode(context.Span).AncestorsAndSelf().OfType<ClassDeclarationSyntax>().FirstOrDefault();
        if (root is null || declaration is null)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (diagnostic.Properties.TryGetValue(DecoratorDiagnostics.MemberIdProperty, out string? id) && id is not null)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Forward the member to the inner instance, unguarded",
                        cancellationToken => AddAsync(context.Document, root, declaration, id, cancellationToken),
                        nameof(ForwardMemberCodeFixProvider) + "." + id),
                    diagnostic);
            }
        }
    }

    private static async Task<Document> AddAsync(Document document, SyntaxNode root, ClassDeclarationSyntax declaration, string id, CancellationToken cancellationToken)
    {
        SemanticModel? model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (model?.GetDeclaredSymbol(declaration, cancellationToken) is not INamedTypeSymbol type
            || DocumentationCommentId.GetFirstSymbolForDeclarationId(id, model.Compilation) is not { } definition)
        {
            return document;
        }

        // The member as the decorator's interface sees it (IStore<string>.Find, not IStore<T>.Find).
        ISymbol? member = type.AllInterfaces.SelectMany(i => i.GetMembers())
            .FirstOrDefault(m => SymbolEqualityComparer.Default.Equals(m.OriginalDefinition, definition));
        string? text = member switch
        {
            IMethodSymbol method => Method(method, Inner(type, method.ContainingType)),
            IPropertySymbol property => Property(property, Inner(type, property.ContainingType)),
            _ => null,
        };
        if (text is null || SyntaxFactory.ParseMemberDeclaration(text) is not { } stub)
        {
            return document;
        }

        // After a blank line when the class has members already.
        stub = stub.WithLeadingTrivia(declaration.Members.Count > 0 ? SyntaxFactory.TriviaList(SyntaxFactory.LineFeed) : default)
            .WithAdditionalAnnotations(Formatter.Annotation, Simplifier.Annotation);
        ClassDeclarationSyntax written = declaration.SemicolonToken.IsKind(SyntaxKind.None)
            ? declaration.AddMembers(stub)
            : declaration
                .WithSemicolonToken(default)
                .WithOpenBraceToken(SyntaxFactory.Token(SyntaxKind.OpenBraceToken))
                .WithCloseBraceToken(SyntaxFactory.Token(SyntaxKind.CloseBraceToken).WithTrailingTrivia(declaration.SemicolonToken.TrailingTrivia))
                .AddMembers(stub);
        return document.WithSyntaxRoot(root.ReplaceNode(declaration, written.WithAdditionalAnnotations(Formatter.Annotation)));
    }

    /// <summary>The decorator's one instance field of the interface's type, or the generator's <c>_inner</c>.</summary>
    private static string Inner(INamedTypeSymbol type, INamedTypeSymbol contract)
    {
        var fields = type.GetMembers().OfType<IFieldSymbol>()
            .Where(f => !f.IsStatic && !f.IsImplicitlyDeclared && type.Interfaces.Any(i => SymbolEqualityComparer.Default.Equals(f.Type.WithNullableAnnotation(NullableAnnotation.NotAnnotated), i)))
            .ToList();
        return fields.Count == 1 ? SymbolNames.Identifier(fields[0].Name) : DecoratorParser.GeneratedInnerField;
    }

    private static string Method(IMethodSymbol method, string inner)
    {
        bool unsafeCode = SignatureReader.IsPointer(method.ReturnType) || method.Parameters.Any(p => SignatureReader.IsPointer(p.Type));
        string typeParameters = method.TypeParameters.Length == 0 ? string.Empty : "<" + string.Join(", ", method.TypeParameters.Select(p => SymbolNames.Identifier(p.Name))) + ">";
        string parameters = string.Join(", ", method.Parameters.Select(p => SymbolNames.DeclarationModifier(p.RefKind) + (p.IsParams ? "params " : string.Empty) + p.Type.ToDisplayString(TypeFormat) + " " + SymbolNames.Identifier(p.Name)));
        string arguments = string.Join(", ", method.Parameters.Select(p => SymbolNames.ArgumentModifier(p.RefKind) + SymbolNames.Identifier(p.Name)));
        IEnumerable<string> constraints = method.TypeParameters.Select(SignatureReader.Constraint).Where(c => c is not null).Select(c => " " + c);
        return "public " + (unsafeCode ? "unsafe " : string.Empty) + ReturnType(method.ReturnsByRef, method.ReturnsByRefReadonly, method.ReturnType)
            + " " + SymbolNames.Identifier(method.Name) + typeParameters + "(" + parameters + ")" + string.Concat(constraints)
            + " => " + (method.ReturnsByRef || method.ReturnsByRefReadonly ? "ref " : string.Empty)
            + inner + "." + SymbolNames.Identifier(method.Name) + typeParameters + "(" + arguments + ");";
    }

    private static string Property(IPropertySymbol property, string inner)
    {
        string name = property.IsIndexer
            ? "this[" + string.Join(", ", property.Parameters.Select(p => SymbolNames.DeclarationModifier(p.RefKind) + p.Type.ToDisplayString(TypeFormat) + " " + SymbolNames.Identifier(p.Name))) + "]"
            : SymbolNames.Identifier(property.Name);
        string target = property.IsIndexer
            ? inner + "[" + string.Join(", ", property.Parameters.Select(p => SymbolNames.ArgumentModifier(p.RefKind) + SymbolNames.Identifier(p.Name))) + "]"
            : inner + "." + SymbolNames.Identifier(property.Name);
        return "public " + (SignatureReader.IsPointer(property.Type) ? "unsafe " : string.Empty) + ReturnType(property.ReturnsByRef, property.ReturnsByRefReadonly, property.Type)
            + " " + name + " => " + (property.ReturnsByRef || property.ReturnsByRefReadonly ? "ref " : string.Empty) + target + ";";
    }

    private static string ReturnType(bool byRef, bool byRefReadonly, ITypeSymbol type) =>
        (byRef ? "ref " : byRefReadonly ? "ref readonly " : string.Empty) + type.ToDisplayString(TypeFormat);
}
