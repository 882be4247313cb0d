using System.Collections.Generic;
using Breaker.Generator.Model;

namespace Breaker.Generator.Parsing;

/// <summary>Everything the parser found about one guarded method: the model when there is no failure, and every failure otherwise.</summary>
internal sealed class ParseResult
{
    /// <summary>Creates a result.</summary>
    public ParseResult(IReadOnlyList<ParseFailure> failures, GuardedMethodModel? model, UnresolvedMethodModel? unresolved = null)
    {
        Failures = failures;
        Model = model;
        Unresolved = unresolved;
    }

    /// <summary>Every failure, in the order the checks run; empty when the method yields code.</summary>
    public IReadOnlyList<ParseFailure> Failures { get; }

    /// <summary>The model, or <see langword="null"/> when there is a failure.</summary>
    public GuardedMethodModel? Model { get; }

    /// <summary>When the declaration is sound and only what the attribute names or sets is wrong: the signature, for a body that throws.</summary>
    public UnresolvedMethodModel? Unresolved { get; }

    /// <summary>A result with one failure and no model.</summary>
    public static ParseResult Failed(ParseFailure failure) => new ParseResult(new[] { failure }, null);
}
