using System.Collections.Generic;
using System.Linq;
using Breaker.Generator.Model;
using Breaker.Generator.Parsing;
using Microsoft.CodeAnalysis;

namespace Breaker.Generator.Analyzers;

/// <summary>Signatures as messages spell them, with the guarded method's own types and parameter names.</summary>
internal static class SignatureText
{
    /// <summary>The implementation the generated code calls, e.g. <c>private Task&lt;Quote&gt; GetQuoteAsyncCore(string sku)</c>.</summary>
    public static string Implementation(IMethodSymbol method, string name) =>
        Modifiers(method) + Type(method.ReturnType) + " " + name + TypeParameters(method) + "(" + Parameters(method) + ")";

    /// <summary>Every accepted fallback shape for <paramref name="method"/>, e.g. <c>'Quote CachedQuote()', ... or 'Quote CachedQuote(Exception error)'</c>.</summary>
    public static string FallbackShapes(IMethodSymbol method, string name, ReturnShape shape)
    {
        string own = Parameters(method);
        var lists = new List<string> { string.Empty };
        if (own.Length > 0)
        {
            lists.Add(own);
            lists.Add(own + ", Exception error");
        }

        lists.Add("Exception error");
        string? single = SingleReturn(method, shape);
        string prefix = Modifiers(method) + (single is null ? string.Empty : single + " ");
        string shapes = Join(lists.Select(p => "'" + prefix + name + TypeParameters(method) + "(" + p + ")'").ToList(), "or");
        return single is null ? shapes + ", returning " + FallbackReturns(method, shape) : shapes;
    }

    /// <summary>What a fallback of <paramref name="method"/> may return, e.g. <c>'Quote', 'Task&lt;Quote&gt;' or 'ValueTask&lt;Quote&gt;'</c>.</summary>
    public static string FallbackReturns(IMethodSymbol method, ReturnShape shape) => shape switch
    {
        ReturnShape.Void => "void",
        ReturnShape.Value or ReturnShape.AsyncStream => "'" + Type(method.ReturnType) + "'",
        ReturnShape.Task or ReturnShape.ValueTask => "void, 'Task' or 'ValueTask'",
        _ => Join(Results(method).Select(r => "'" + r + "'").ToList(), "or"),
    };

    /// <summary>The type as messages spell it.</summary>
    public static string Type(ITypeSymbol type) => SymbolNames.Display(type);

    private static IEnumerable<string> Results(IMethodSymbol method)
    {
        string result = Type(((INamedTypeSymbol)method.ReturnType).TypeArguments[0]);
        return new[] { result, "Task<" + result + ">", "ValueTask<" + result + ">" };
    }

    private static string? SingleReturn(IMethodSymbol method, ReturnShape shape) => shape switch
    {
        ReturnShape.Void => "void",
        ReturnShape.Value or ReturnShape.AsyncStream => Type(method.ReturnType),
        _ => null,
    };

    private static string Modifiers(IMethodSymbol method) => method.IsStatic ? "static " : string.Empty;

    private static string TypeParameters(IMethodSymbol method) =>
        method.TypeParameters.Length == 0 ? string.Empty : "<" + string.Join(", ", method.TypeParameters.Select(p => p.Name)) + ">";

    private static string Parameters(IMethodSymbol method) =>
        string.Join(", ", method.Parameters.Select(p => SymbolNames.DeclarationModifier(p.RefKind) + Type(p.Type) + " " + SymbolNames.Identifier(p.Name)));

    /// <summary>Joins <c>a, b or c</c>.</summary>
    public static string Join(IReadOnlyList<string> items, string conjunction) =>
        items.Count <= 1 ? string.Concat(items) : string.Join(", ", items.Take(items.Count - 1)) + " " + conjunction + " " + items[items.Count - 1];
}
