using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Breaker.Generator.Diagnostics;
using Breaker.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Breaker.Generator.Analyzers;

/// <summary>Turns a decorator's <see cref="ParseFailure"/> into the diagnostic that explains it, at the place it is about.</summary>
internal static class DecoratorDiagnostics
{
    /// <summary>The diagnostic for <paramref name="failure"/>, or <see langword="null"/> for failures the compiler already reports.</summary>
    public static Diagnostic? Create(ParseFailure failure, INamedTypeSymbol type, AttributeData attribute, ClassDeclarationSyntax declaration, CancellationToken cancellationToken)
    {
        string name = type.Name;
        string member = failure.Detail ?? string.Empty;
        Location location = failure.Argument is null
            ? declaration.Identifier.GetLocation()
            : AttributeLocations.Of(attribute, failure.Argument, failure.ArgumentItem, cancellationToken);
        string contract = type.Interfaces.Length == 1 ? SymbolNames.Display(type.Interfaces[0]) : string.Empty;
        switch (failure.Reason)
        {
            case ParseFailureReason.DecoratorNotPartial:
                return Diagnostic.Create(DiagnosticDescriptors.DecoratorNotPartial, location, name, Quoted(failure.Values.Count == 0 ? new[] { member } : failure.Values.ToArray(), "and"));
            case ParseFailureReason.DecoratorInterfaceCount:
                return Diagnostic.Create(DiagnosticDescriptors.DecoratorInterfaceCount, location, name, failure.Values.Count == 0 ? "none" : Quoted(failure.Values.ToArray(), "and"));
            case ParseFailureReason.DecoratorWithoutInner:
                return Diagnostic.Create(
                    DiagnosticDescriptors.DecoratorWithoutInner,
                    location,
                    name,
                    contract,
                    failure.Values.Count == 0 ? "it declares none" : "it declares " + Quoted(failure.Values.ToArray(), "and"));
            case ParseFailureReason.DecoratorMemberUnsupported:
                return Diagnostic.Create(DiagnosticDescriptors.DecoratorMemberUnsupported, location, MemberProperties(type, member), member, contract, failure.Values[0], name);
            case ParseFailureReason.SettingNotApplicable:
                return Diagnostic.Create(
                    DiagnosticDescriptors.SettingNotApplicable,
                    location,
                    member,
                    name,
                    "it belongs to one method; declare that member as a partial method with its own [CircuitBreaker]");
            default:
                return FailureDiagnostics.ArgumentDiagnostic(failure, location, name);
        }
    }

    /// <summary>
    /// The property of a BRK0029 diagnostic that names the interface member (its documentation ID, for
    /// <c>DocumentationCommentId</c>), so a code fix can write the member by hand.
    /// </summary>
    public const string MemberIdProperty = "MemberId";

    private static ImmutableDictionary<string, string?> MemberProperties(INamedTypeSymbol type, string display)
    {
        ISymbol? member = type.Interfaces.SelectMany(i => new[] { i }.Concat(i.AllInterfaces)).SelectMany(i => i.GetMembers())
            .FirstOrDefault(m => SymbolNames.Display(m) == display);
        string? id = member?.OriginalDefinition.GetDocumentationCommentId();
        return id is null ? ImmutableDictionary<string, string?>.Empty : ImmutableDictionary<string, string?>.Empty.Add(MemberIdProperty, id);
    }

    private static string Quoted(string[] names, string conjunction) => SignatureText.Join(names.Select(n => "'" + n + "'").ToList(), conjunction);
}
