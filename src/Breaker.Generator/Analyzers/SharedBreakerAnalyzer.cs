using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Breaker.Generator.Diagnostics;
using Breaker.Generator.Model;
using Breaker.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Breaker.Generator.Analyzers;

/// <summary>
/// Warns when methods of one compilation share a breaker name but declare different settings: they get one breaker at run
/// time, configured by the first of their declarations (in the order the generated module initializer makes them). Every
/// declaration involved is reported, each pointing at the others.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SharedBreakerAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.ConflictingBreakerSettings);

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

            var declarations = new ConcurrentBag<Declaration>();
            var known = new KnownTypes(start.Compilation);
            start.RegisterSyntaxNodeAction(node => Collect(node, attribute, declarations), SyntaxKind.MethodDeclaration);
            start.RegisterSyntaxNodeAction(node => CollectDecorator(node, attribute, known, declarations), SyntaxKind.ClassDeclaration);
            start.RegisterCompilationEndAction(end => Report(end, declarations));
        });
    }

    private static void Collect(SyntaxNodeAnalysisContext context, INamedTypeSymbol attributeType, ConcurrentBag<Declaration> declarations)
    {
        if (GuardedMethods.Find(context, attributeType) is not ({ } method, { } attribute))
        {
            return;
        }

        AttributeReader? reader = AttributeReader.Read(attribute).Value;
        if (reader is not null && reader.CheckName() is null)
        {
            Location location = AttributeLocations.Of(attribute, AttributeReader.NameArgument, -1, context.CancellationToken);

            // A hook is a method of the declaring type: the same name in two types is two hooks.
            string? hook = reader.BreakDurationHook is { } name ? method.ContainingType.ToDisplayString() + "." + name : null;
            declarations.Add(new Declaration(reader.Name, reader.EffectiveSettings(), hook, location));
        }
    }

    /// <summary>
    /// A decorator declares the breakers its generated members use (its name, or one per method with <c>PerMethod</c>),
    /// with the class attribute's settings; the parser says which, as it does for the generator.
    /// </summary>
    private static void CollectDecorator(SyntaxNodeAnalysisContext context, INamedTypeSymbol attributeType, KnownTypes known, ConcurrentBag<Declaration> declarations)
    {
        if (GuardedMethods.FindDecorator(context, attributeType) is not ({ } type, { } attribute)
            || AttributeReader.Read(attribute).Value is not { } reader
            || reader.CheckName() is not null
            || DecoratorParser.Resolve(type, attribute, known, context.CancellationToken).Model is not { } model)
        {
            return;
        }

        Location location = AttributeLocations.Of(attribute, AttributeReader.NameArgument, -1, context.CancellationToken);
        foreach (DecoratorBreakerModel breaker in model.Breakers)
        {
            declarations.Add(new Declaration(breaker.Breaker.Name, reader.EffectiveSettings(), null, location));
        }
    }

    private static void Report(CompilationAnalysisContext context, IEnumerable<Declaration> declarations)
    {
        foreach (IGrouping<string, Declaration>? breaker in declarations.GroupBy(d => d.Name, StringComparer.Ordinal))
        {
            var all = breaker
                .OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal)
                .ThenBy(d => d.Location.SourceSpan.Start)
                .ToList();
            var differing = all[0].Settings
                .Select((setting, i) => (setting.Key, Differs: all.Any(d => d.Settings[i].Value != setting.Value)))
                .Where(s => s.Differs)
                .Select(s => s.Key)
                .ToList();
            if (all.Any(d => d.Hook != all[0].Hook))
            {
                differing.Add("BreakDurationHook");
            }

            if (differing.Count == 0)
            {
                continue;
            }

            foreach (Declaration? declaration in all)
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.ConflictingBreakerSettings,
                    declaration.Location,
                    all.Where(d => d != declaration).Select(d => d.Location),
                    breaker.Key,
                    all.Count,
                    string.Join(", ", differing)));
            }
        }
    }

    private sealed class Declaration
    {
        public Declaration(string name, IReadOnlyList<KeyValuePair<string, double>> settings, string? hook, Location location)
        {
            Name = name;
            Settings = settings;
            Hook = hook;
            Location = location;
        }

        public string Name { get; }

        public IReadOnlyList<KeyValuePair<string, double>> Settings { get; }

        public string? Hook { get; }

        public Location Location { get; }
    }
}
