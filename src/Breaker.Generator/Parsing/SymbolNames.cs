using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Breaker.Generator.Parsing;

/// <summary>How symbols are written in emitted code.</summary>
internal static class SymbolNames
{
    private static readonly SymbolDisplayFormat FullyQualified = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>How messages spell members and types: short names, parameter names, nullable annotations, C# keywords.</summary>
    private static readonly SymbolDisplayFormat Readable = new SymbolDisplayFormat(
        globalNamespaceStyle: SymbolDisplayGlobalNamespaceStyle.Omitted,
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameOnly,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
        memberOptions: SymbolDisplayMemberOptions.IncludeParameters | SymbolDisplayMemberOptions.IncludeType | SymbolDisplayMemberOptions.IncludeRef,
        parameterOptions: SymbolDisplayParameterOptions.IncludeType | SymbolDisplayParameterOptions.IncludeName | SymbolDisplayParameterOptions.IncludeParamsRefOut,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes
            | SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers
            | SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>A member or type as a message shows it, e.g. <c>Task&lt;Quote&gt; GetQuoteAsync(string sku, CancellationToken ct)</c>.</summary>
    public static string Display(ISymbol symbol) => symbol.ToDisplayString(Readable);

    /// <summary>The type, fully qualified with <c>global::</c>, with its nullable annotations.</summary>
    public static string Type(ITypeSymbol type) => type.ToDisplayString(FullyQualified);

    /// <summary>An identifier, prefixed with <c>@</c> when it is a keyword.</summary>
    public static string Identifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    /// <summary>How a parameter's declaration says it is passed: <c>ref </c>, <c>out </c>, <c>in </c>, <c>ref readonly </c>, or nothing.</summary>
    public static string DeclarationModifier(RefKind kind) => kind switch
    {
        RefKind.Ref => "ref ",
        RefKind.Out => "out ",
        RefKind.In => "in ",
        RefKind.RefReadOnlyParameter => "ref readonly ",
        _ => string.Empty,
    };

    /// <summary>What a call writes before the argument of such a parameter: as declared, but <c>in </c> for <c>ref readonly</c>.</summary>
    public static string ArgumentModifier(RefKind kind) =>
        kind == RefKind.RefReadOnlyParameter ? "in " : DeclarationModifier(kind);
}
