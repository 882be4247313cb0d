using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Breaker.Generator.Analyzers;

/// <summary>Finds where in the source an attribute argument, or one entry of an array argument, is written.</summary>
internal static class AttributeLocations
{
    /// <summary>
    /// The location of <paramref name="argument"/> (a named argument, or <c>name</c> for the constructor argument), of its
    /// <paramref name="item"/>-th array entry when <paramref name="item"/> is not negative; the attribute's location when
    /// the argument is not written in the source.
    /// </summary>
    public static Location Of(AttributeData attribute, string argument, int item, CancellationToken cancellationToken)
    {
        if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax syntax)
        {
            return Location.None;
        }

        AttributeArgumentSyntax? written = syntax.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals is null
            ? argument == Parsing.AttributeReader.NameArgument && (a.NameColon is null || a.NameColon.Name.Identifier.ValueText == argument)
            : a.NameEquals.Name.Identifier.ValueText == argument);
        if (written is null)
        {
            return syntax.GetLocation();
        }

        ExpressionSyntax? entry = item < 0 ? null : Entry(written.Expression, item);
        return (entry ?? (SyntaxNode)written).GetLocation();
    }

    private static ExpressionSyntax? Entry(ExpressionSyntax array, int item)
    {
        List<ExpressionSyntax>? entries = array switch
        {
            ArrayCreationExpressionSyntax { Initializer: { } initializer } => initializer.Expressions.ToList(),
            ImplicitArrayCreationExpressionSyntax creation => creation.Initializer.Expressions.ToList(),
            CollectionExpressionSyntax collection => collection.Elements.OfType<ExpressionElementSyntax>().Select(e => e.Expression).ToList(),
            _ => null,
        };
        return entries is not null && item < entries.Count ? entries[item] : null;
    }
}
