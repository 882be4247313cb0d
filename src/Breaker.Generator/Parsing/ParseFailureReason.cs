using Breaker.Generator.Model;

namespace Breaker.Generator.Parsing;

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

    /// <summary>The method returns an async enumerator (<c>IAsyncEnumerator&lt;T&gt;</c>); <c>IAsyncEnumerable&lt;T&gt;</c> is supported.</summary>
    AsyncEnumerator,

    /// <summary>The signature uses pointer or function pointer types.</summary>
    PointerType,

    /// <summary>An async method has a <c>ref</c>/<c>out</c>/<c>in</c> parameter or a ref struct parameter, which cannot cross an <c>await</c>.</summary>
    AsyncByRefParameter,

    /// <summary>An async instance method is declared on a ref struct, which cannot cross an <c>await</c>.</summary>
    AsyncMethodOnRefStruct,

    /// <summary>An instance method of a struct returns an async stream, whose iterator cannot reach the struct's <c>this</c>.</summary>
    AsyncStreamOnStruct,

    /// <summary>No method has the implementation's name (<c>Detail</c> is the name looked for).</summary>
    ImplementationNotFound,

    /// <summary>Methods have the implementation's name but none takes the same parameters and returns the same type.</summary>
    ImplementationSignatureMismatch,

    /// <summary>A static guarded method names an instance implementation.</summary>
    ImplementationNotStatic,

    /// <summary>No member has the fallback's name.</summary>
    FallbackNotFound,

    /// <summary>The fallback's name belongs to members that are not methods (<c>Values[0]</c> is the member's kind).</summary>
    FallbackNotMethod,

    /// <summary>Methods have the fallback's name but none takes the parameters of an accepted shape.</summary>
    FallbackSignatureMismatch,

    /// <summary>An overload with an accepted shape returns a type that does not fit (<c>Values[0]</c> is the overload).</summary>
    FallbackReturnTypeMismatch,

    /// <summary>A static guarded method names an instance fallback (<c>Values[0]</c> is the overload).</summary>
    FallbackNotStatic,

    /// <summary>Two overloads take the same failures, so one would never be called (<c>Values</c> are the two overloads).</summary>
    FallbackAmbiguous,

    /// <summary>No method has the <c>FailureWhen</c> predicate's name.</summary>
    FailureWhenNotFound,

    /// <summary>Methods have the predicate's name but none is <c>bool M(TResult)</c>.</summary>
    FailureWhenSignatureMismatch,

    /// <summary>A static guarded method names an instance predicate.</summary>
    FailureWhenNotStatic,

    /// <summary>The method returns no result (<c>void</c>, <c>Task</c>, <c>ValueTask</c>), so <c>FailureWhen</c> has nothing to look at.</summary>
    FailureWhenWithoutResult,

    /// <summary>No method has the <c>BreakDurationHook</c>'s name.</summary>
    BreakDurationHookNotFound,

    /// <summary>Methods have the hook's name but none is <c>TimeSpan? M(BreakContext)</c>.</summary>
    BreakDurationHookSignatureMismatch,

    /// <summary>The hook is an instance method (<c>Values[0]</c> is the containing type): one breaker serves every instance.</summary>
    BreakDurationHookNotStatic,

    /// <summary>
    /// The guarded method's type cannot be reached from the assembly's declarations (<c>Values[0]</c> is the type,
    /// <c>Values[1]</c> why: generic, or its accessibility), so the assembly's declarations cannot name the hook.
    /// </summary>
    BreakDurationHookUnreachable,

    /// <summary>A <c>Handles</c> or <c>Ignores</c> entry is not an exception type (<c>Detail</c> says which list, <c>Values[0]</c> the type).</summary>
    InvalidExceptionType,

    /// <summary>A type is in both <c>Handles</c> and <c>Ignores</c> (<c>Values[0]</c> is the type).</summary>
    ExceptionTypeHandledAndIgnored,

    /// <summary>A setting is outside the range the runtime accepts (<c>Detail</c> is the argument, <c>Values</c> the value and the rule).</summary>
    SettingOutOfRange,

    /// <summary><c>TimeoutMs</c> is set on a synchronous method, which cannot be abandoned.</summary>
    TimeoutOnSynchronousMethod,

    /// <summary><c>Key</c> names no parameter (<c>Detail</c> is the name, <c>Values</c> the parameters that could be keys).</summary>
    KeyParameterNotFound,

    /// <summary>The <c>Key</c> parameter is <c>ref</c>, <c>out</c>, a pointer or a ref struct (<c>Detail</c> is the parameter, <c>Values[0]</c> what it is).</summary>
    KeyParameterByReference,

    /// <summary>The <c>Key</c> parameter's type has no value equality (<c>Detail</c> is the parameter, <c>Values</c> the type and why).</summary>
    KeyTypeWithoutValueEquality,

    /// <summary>A decorator class, or a type containing it, is not <c>partial</c> (<c>Detail</c> is the type).</summary>
    DecoratorNotPartial,

    /// <summary>A decorator class lists no interface or more than one (<c>Values</c> are the interfaces it lists).</summary>
    DecoratorInterfaceCount,

    /// <summary>A decorator writes its own constructor but has no single instance field of the interface's type to hold the inner instance.</summary>
    DecoratorWithoutInner,

    /// <summary>A member of the decorated interface cannot be forwarded through a breaker (<c>Detail</c> is the member, <c>Values[0]</c> why).</summary>
    DecoratorMemberUnsupported,

    /// <summary>A setting that belongs to one method is set on a decorator class, or <c>PerMethod</c> on a method (<c>Detail</c> is the argument).</summary>
    SettingNotApplicable,

    /// <summary>A <c>[CircuitBreaker]</c> partial method of a decorator implements no member of the decorated interface.</summary>
    DecoratorMethodMatchesNoMember,
}

/// <summary>Why a method yields no code.</summary>
/// <param name="Reason">The reason.</param>
/// <param name="Detail">The name involved (a member name, a type, an argument), when there is one.</param>
internal sealed record ParseFailure(ParseFailureReason Reason, string? Detail = null)
{
    /// <summary>The attribute argument the failure is about (<c>Fallback</c>, <c>Handles</c>, a setting), or <see langword="null"/> for the declaration.</summary>
    public string? Argument { get; init; }

    /// <summary>The position in the argument's array (<c>Handles</c>, <c>Ignores</c>) of the entry at fault, or -1.</summary>
    public int ArgumentItem { get; init; } = -1;

    /// <summary>Further text for the message: overloads, types, values, in the order the reason documents.</summary>
    public EquatableArray<string> Values { get; init; } = EquatableArray<string>.Empty;
}
