using System.Threading;
using Breaker.Generator.Model;
using Breaker.Generator.Parsing;
using Microsoft.CodeAnalysis;

namespace Breaker.Generator.Tests.Infrastructure;

/// <summary>Runs the generator's parser on one method, as the pipeline and the analyzers do.</summary>
internal static class ParserHarness
{
    /// <summary>Parses <paramref name="method"/> guarded by <paramref name="attribute"/>: the model, or the first reason there is none.</summary>
    public static Resolution<GuardedMethodModel> Parse(IMethodSymbol method, AttributeData attribute, Compilation compilation)
    {
        ParseResult result = GuardedMethodParser.Resolve(method, attribute, new KnownTypes(compilation), CancellationToken.None);
        return result.Failures.Count > 0
            ? Resolution<GuardedMethodModel>.Fail(result.Failures[0])
            : Resolution<GuardedMethodModel>.Success(result.Model!);
    }
}
