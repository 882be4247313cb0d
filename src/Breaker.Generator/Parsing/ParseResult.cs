using System.Collections.Generic;
using Breaker.Generator.Model;

namespace Breaker.Generator.Parsing
{
    /// <summary>Everything the parser found about one guarded method: the model when there is no failure, and every failure otherwise.</summary>
    internal sealed class ParseResult
    {
        /// <summary>Creates a result.</summary>
        public ParseResult(IReadOnlyList<ParseFailure> failures, GuardedMethodModel? model)
        {
            Failures = failures;
            Model = model;
        }

        /// <summary>Every failure, in the order the checks run; empty when the method yields code.</summary>
        public IReadOnlyList<ParseFailure> Failures { get; }

        /// <summary>The model, or <see langword="null"/> when there is a failure.</summary>
        public GuardedMethodModel? Model { get; }

        /// <summary>A result with one failure and no model.</summary>
        public static ParseResult Failed(ParseFailure failure) => new ParseResult(new[] { failure }, null);
    }
}
