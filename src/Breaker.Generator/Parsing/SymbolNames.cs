using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Breaker.Generator.Parsing
{
    /// <summary>How symbols are written in emitted code.</summary>
    internal static class SymbolNames
    {
        private static readonly SymbolDisplayFormat FullyQualified = SymbolDisplayFormat.FullyQualifiedFormat
            .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

        /// <summary>The type, fully qualified with <c>global::</c>, with its nullable annotations.</summary>
        public static string Type(ITypeSymbol type) => type.ToDisplayString(FullyQualified);

        /// <summary>An identifier, prefixed with <c>@</c> when it is a keyword.</summary>
        public static string Identifier(string name) =>
            SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;
    }
}
