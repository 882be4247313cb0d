using System;
using System.Linq;
using Breaker.Generator.Emitting;
using Breaker.Generator.Model;
using Breaker.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Breaker.Generator;

/// <summary>Writes the body of every <c>partial</c> method that carries <c>[CircuitBreaker]</c>, and every decorator class that does.</summary>
[Generator(LanguageNames.CSharp)]
public sealed class CircuitBreakerGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<ParsedMethodModel?> parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                GuardedMethodParser.AttributeMetadataName,
                static (node, _) => node is MethodDeclarationSyntax,
                GuardedMethodParser.Parse)
            .WithTrackingName(TrackingNames.ParsedMethods);

        IncrementalValuesProvider<GuardedMethodModel> methods = parsed
            .Where(static model => model?.Guarded is not null)
            .Select(static (model, _) => model!.Guarded!)
            .WithTrackingName(TrackingNames.SupportedMethods);
        IncrementalValuesProvider<UnresolvedMethodModel> unresolved = parsed
            .Where(static model => model?.Unresolved is not null)
            .Select(static (model, _) => model!.Unresolved!)
            .WithTrackingName(TrackingNames.UnresolvedMethods);

        IncrementalValuesProvider<DecoratorModel> decorators = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                GuardedMethodParser.AttributeMetadataName,
                static (node, _) => node is ClassDeclarationSyntax,
                DecoratorParser.Parse)
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(TrackingNames.Decorators);

        // Every breaker the assembly declares, for its module initializer: one model per method or decorator member (cached
        // like the method's), collected and put in a stable order.
        IncrementalValueProvider<EquatableArray<BreakerDeclarationModel>> declarations = methods
            .Select(static (model, _) => BreakerDeclarationModel.From(model))
            .Collect()
            .Combine(decorators.SelectMany(static (model, _) => BreakerDeclarationModel.From(model)).Collect())
            .Select(static (both, _) => EquatableArray.From(both.Left.Concat(both.Right)
                .OrderBy(static d => d.Breaker.Name, StringComparer.Ordinal)
                .ThenBy(static d => d.DeclaringType, StringComparer.Ordinal)
                .ThenBy(static d => d.MethodName, StringComparer.Ordinal)))
            .WithTrackingName(TrackingNames.Declarations);

        IncrementalValueProvider<TargetModel> target = context.CompilationProvider
            .Select(static (compilation, _) => TargetReader.Read(compilation))
            .WithTrackingName(TrackingNames.Target);

        // Below C# 9 nothing is generated (the code could not compile); the analyzer reports BRK0032 instead.
        context.RegisterSourceOutput(methods.Combine(target), static (output, pair) =>
        {
            if (pair.Right.LanguageSupported)
            {
                output.AddSource(pair.Left.HintName, SourceText.From(GuardedMethodEmitter.Emit(pair.Left, pair.Right), System.Text.Encoding.UTF8));
            }
        });
        context.RegisterSourceOutput(decorators.Combine(target), static (output, pair) =>
        {
            if (pair.Right.LanguageSupported)
            {
                output.AddSource(pair.Left.HintName, SourceText.From(DecoratorEmitter.Emit(pair.Left, pair.Right), System.Text.Encoding.UTF8));
            }
        });
        context.RegisterSourceOutput(unresolved.Combine(target), static (output, pair) =>
        {
            if (pair.Right.LanguageSupported)
            {
                output.AddSource(pair.Left.HintName, SourceText.From(GuardedMethodEmitter.EmitUnresolved(pair.Left), System.Text.Encoding.UTF8));
            }
        });
        context.RegisterSourceOutput(declarations.Combine(target), static (output, pair) =>
        {
            if (pair.Left.Count > 0 && pair.Right.LanguageSupported && pair.Right.ModuleInitializers)
            {
                output.AddSource(DeclarationsEmitter.HintName, SourceText.From(DeclarationsEmitter.Emit(pair.Left), System.Text.Encoding.UTF8));
            }
        });
    }
}
