using System.Collections.Immutable;
using System.Linq;
using Breaker.Generator.Diagnostics;
using Breaker.Generator.Model;
using Breaker.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Breaker.Generator.Analyzers;

/// <summary>
/// Reports why a <c>[CircuitBreaker]</c> method or decorator class yields no code, from the same
/// <see cref="GuardedMethodParser.Resolve"/> and <see cref="DecoratorParser.Resolve"/> the generator runs, and warns about a
/// timeout that cannot stop the call.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class GuardedMethodAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.MethodNotPartial,
        DiagnosticDescriptors.ContainingTypeNotPartial,
        DiagnosticDescriptors.UnsupportedMethod,
        DiagnosticDescriptors.ImplementationNotFound,
        DiagnosticDescriptors.ImplementationSignatureMismatch,
        DiagnosticDescriptors.FallbackNotFound,
        DiagnosticDescriptors.FallbackNotMethod,
        DiagnosticDescriptors.FallbackAmbiguous,
        DiagnosticDescriptors.FallbackSignatureMismatch,
        DiagnosticDescriptors.FallbackReturnTypeMismatch,
        DiagnosticDescriptors.MemberNotStatic,
        DiagnosticDescriptors.FailureWhenNotFound,
        DiagnosticDescriptors.FailureWhenSignatureMismatch,
        DiagnosticDescriptors.FailureWhenWithoutResult,
        DiagnosticDescriptors.InvalidExceptionType,
        DiagnosticDescriptors.ExceptionTypeHandledAndIgnored,
        DiagnosticDescriptors.MissingBreakerName,
        DiagnosticDescriptors.SettingOutOfRange,
        DiagnosticDescriptors.TimeoutOnSynchronousMethod,
        DiagnosticDescriptors.TimeoutWithoutCancellationToken,
        DiagnosticDescriptors.KeyParameterNotFound,
        DiagnosticDescriptors.KeyParameterByReference,
        DiagnosticDescriptors.KeyTypeWithoutValueEquality,

        DiagnosticDescriptors.BreakDurationHookUnusable,
        DiagnosticDescriptors.DecoratorNotPartial,
        DiagnosticDescriptors.DecoratorInterfaceCount,
        DiagnosticDescriptors.DecoratorWithoutInner,
        DiagnosticDescriptors.DecoratorMemberUnsupported,
        DiagnosticDescriptors.SettingNotApplicable,
        DiagnosticDescriptors.DecoratorMethodMatchesNoMember,
        DiagnosticDescriptors.LanguageVersionTooLow);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            INamedTypeSymbol? attribute = start.Compilation.GetTypeByMetadataName(GuardedMethodParser.AttributeMetadataName);
            if (attribute is null)
            {
                return;
            }

            // Below C# 9 the generator writes nothing: each guarded method and decorator says what to set, and nothing else is analyzed.
            if (!TargetReader.IsLanguageSupported(start.Compilation))
            {
                string version = ((CSharpCompilation)start.Compilation).LanguageVersion.ToDisplayString();
                start.RegisterSymbolAction(symbol => ReportLanguageVersion(symbol, attribute, version), SymbolKind.Method, SymbolKind.NamedType);
                return;
            }

            var known = new KnownTypes(start.Compilation);
            start.RegisterSyntaxNodeAction(node => Analyze(node, attribute, known), SyntaxKind.MethodDeclaration);
            start.RegisterSyntaxNodeAction(node => AnalyzeLocalFunction(node, attribute), SyntaxKind.LocalFunctionStatement);
            start.RegisterSyntaxNodeAction(node => AnalyzeDecorator(node, attribute, known), SyntaxKind.ClassDeclaration);
        });
    }

    /// <remarks>
    /// A syntax action on the user's declaration, not a symbol action: once the generator has written a method's
    /// implementation part, the compiler declares the method through that (generated, hence skipped) part.
    /// </remarks>
    private static void Analyze(SyntaxNodeAnalysisContext context, INamedTypeSymbol attributeType, KnownTypes known)
    {
        if (GuardedMethods.Find(context, attributeType) is not ({ } method, { } attribute))
        {
            return;
        }

        ParseResult result = GuardedMethodParser.Resolve(method, attribute, known, context.CancellationToken);
        foreach (ParseFailure failure in result.Failures)
        {
            Diagnostic? diagnostic = FailureDiagnostics.Create(failure, method, attribute, known, context.CancellationToken);
            if (diagnostic is not null)
            {
                context.ReportDiagnostic(diagnostic);
            }
        }

        if (result.Model is { } model && TimesOutWithoutToken(model))
        {
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.TimeoutWithoutCancellationToken,
                AttributeLocations.Of(attribute, "TimeoutMs", -1, context.CancellationToken),
                method.Name));
        }
    }

    private static void ReportLanguageVersion(SymbolAnalysisContext context, INamedTypeSymbol attributeType, string version)
    {
        AttributeData? attribute = context.Symbol.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attributeType));
        if (attribute?.ApplicationSyntaxReference is { } reference)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.LanguageVersionTooLow,
                reference.GetSyntax(context.CancellationToken).GetLocation(),
                context.Symbol.Name,
                version));
        }
    }

    /// <summary>A class carrying <c>[CircuitBreaker]</c> is a decorator: analyzed from the declaration part that carries the attribute.</summary>
    private static void AnalyzeDecorator(SyntaxNodeAnalysisContext context, INamedTypeSymbol attributeType, KnownTypes known)
    {
        if (GuardedMethods.FindDecorator(context, attributeType) is not ({ } type, { } attribute))
        {
            return;
        }

        var declaration = (ClassDeclarationSyntax)context.Node;
        foreach (ParseFailure failure in DecoratorParser.Resolve(type, attribute, known, context.CancellationToken).Failures)
        {
            Diagnostic? diagnostic = DecoratorDiagnostics.Create(failure, type, attribute, declaration, context.CancellationToken);
            if (diagnostic is not null)
            {
                context.ReportDiagnostic(diagnostic);
            }
        }
    }

    /// <summary>The generator writes members of partial types only; the attribute is allowed on local functions too.</summary>
    private static void AnalyzeLocalFunction(SyntaxNodeAnalysisContext context, INamedTypeSymbol attributeType)
    {
        var function = (LocalFunctionStatementSyntax)context.Node;
        if (function.AttributeLists.Count > 0
            && context.SemanticModel.GetDeclaredSymbol(function, context.CancellationToken) is IMethodSymbol symbol
            && symbol.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attributeType)))
        {
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.UnsupportedMethod,
                function.Identifier.GetLocation(),
                symbol.Name,
                "it is a local function; guard a partial method of a partial type instead"));
        }
    }

    /// <summary>
    /// Whether the generated code can only abandon a timed-out call: async, a timeout, no token to cancel. An async stream
    /// always has one: the generated code cancels the token it gives the stream's enumerator.
    /// </summary>
    private static bool TimesOutWithoutToken(GuardedMethodModel model) =>
        SignatureReader.IsAsync(model.Shape)
        && model.Shape != ReturnShape.AsyncStream
        && model.Breaker.Options.Any(o => o.Property == "Timeout" && o.Value > 0)
        && !model.Signature.Parameters.Any(p => p.IsCallerCancellationToken);
}
