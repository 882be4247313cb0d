namespace Breaker.Generator.Parsing
{
    /// <summary>Why the parser cannot generate a guarded method; the analyzers turn each reason into a diagnostic.</summary>
    internal enum ParseFailureReason
    {
        /// <summary>The attribute has errors (no name argument, or arguments that do not bind).</summary>
        InvalidAttribute,

        /// <summary>The breaker name is <see langword="null"/>, empty or white space.</summary>
        MissingBreakerName,

        /// <summary>The declaration has syntax errors, a nameless containing type, or types that do not exist; the compiler already reports them.</summary>
        InvalidDeclaration,

        /// <summary>The method is not a <c>partial</c> definition without an implementation.</summary>
        NotPartialDefinition,

        /// <summary>A containing type is not <c>partial</c>.</summary>
        ContainingTypeNotPartial,

        /// <summary>A containing type is an interface, or a kind the generator cannot declare again.</summary>
        UnsupportedContainingType,

        /// <summary>The method returns by reference.</summary>
        RefReturn,

        /// <summary>The method returns an async stream (<c>IAsyncEnumerable&lt;T&gt;</c> or <c>IAsyncEnumerator&lt;T&gt;</c>).</summary>
        AsyncStream,

        /// <summary>The signature uses pointer or function pointer types.</summary>
        PointerType,

        /// <summary>An async method has a <c>ref</c>/<c>out</c>/<c>in</c> parameter or a ref struct parameter, which cannot cross an <c>await</c>.</summary>
        AsyncByRefParameter,

        /// <summary>An async instance method is declared on a ref struct, which cannot cross an <c>await</c>.</summary>
        AsyncMethodOnRefStruct,

        /// <summary>No method has the implementation's name (<c>Detail</c> is the name looked for).</summary>
        ImplementationNotFound,

        /// <summary>Methods have the implementation's name but none takes the same parameters and returns the same type.</summary>
        ImplementationSignatureMismatch,

        /// <summary>A static guarded method names an instance implementation.</summary>
        ImplementationNotStatic,

        /// <summary>No method has the fallback's name.</summary>
        FallbackNotFound,

        /// <summary>Methods have the fallback's name but none has an accepted shape and return type.</summary>
        FallbackSignatureMismatch,

        /// <summary>A static guarded method names an instance fallback.</summary>
        FallbackNotStatic,

        /// <summary>No method has the <c>FailureWhen</c> predicate's name.</summary>
        FailureWhenNotFound,

        /// <summary>Methods have the predicate's name but none is <c>bool M(TResult)</c>.</summary>
        FailureWhenSignatureMismatch,

        /// <summary>A static guarded method names an instance predicate.</summary>
        FailureWhenNotStatic,

        /// <summary>The method returns no result (<c>void</c>, <c>Task</c>, <c>ValueTask</c>), so <c>FailureWhen</c> has nothing to look at.</summary>
        FailureWhenWithoutResult,

        /// <summary>A <c>Handles</c> or <c>Ignores</c> entry is not an exception type (<c>Detail</c> says which).</summary>
        InvalidExceptionType,
    }

    /// <summary>Why a method yields no code.</summary>
    /// <param name="Reason">The reason.</param>
    /// <param name="Detail">The name involved (a member name, a type), when there is one.</param>
    internal sealed record ParseFailure(ParseFailureReason Reason, string? Detail = null);
}
