namespace Breaker.Generator.Model;

/// <summary>Everything the emitter needs to write one guarded method: strings, numbers and equatable arrays only.</summary>
/// <param name="HintName">The generated file's name, unique across types and overloads.</param>
/// <param name="Namespace">The containing namespace, or <see langword="null"/> for the global namespace.</param>
/// <param name="ContainingTypes">The containing types, outermost first.</param>
/// <param name="SelfType">The fully qualified containing type, as a parameter type for the async continuation.</param>
/// <param name="Signature">The partial method's signature, reproduced exactly.</param>
/// <param name="Breaker">The breaker's name and the attribute's explicit settings.</param>
/// <param name="BreakerField">The name of the static field that holds the breaker (for a keyed method, its group's keys: a <c>CircuitBreakerKeys&lt;TKey&gt;</c>).</param>
/// <param name="Shape">What the method returns.</param>
/// <param name="ResultType">The fully qualified result type (<c>T</c> of <c>T</c>, <c>Task&lt;T&gt;</c>, <c>ValueTask&lt;T&gt;</c>), or <see langword="null"/>.</param>
/// <param name="Implementation">The method that does the work.</param>
/// <param name="Fallback">The fallback, or <see langword="null"/> when failures propagate and rejections throw.</param>
/// <param name="FailureWhen">The predicate that marks results as failures, or <see langword="null"/>.</param>
/// <param name="Handles">Fully qualified exception types that count as failures; empty means every exception.</param>
/// <param name="Ignores">Fully qualified exception types that count as neither success nor failure.</param>
/// <param name="Key">The parameter whose value picks the breaker (one per key, from a keyed group), or <see langword="null"/> for one breaker.</param>
internal sealed record GuardedMethodModel(
    string HintName,
    string? Namespace,
    EquatableArray<ContainingTypeModel> ContainingTypes,
    string SelfType,
    MethodSignatureModel Signature,
    BreakerSettingsModel Breaker,
    string BreakerField,
    ReturnShape Shape,
    string? ResultType,
    MemberCallModel Implementation,
    FallbackModel? Fallback,
    MemberCallModel? FailureWhen,
    EquatableArray<string> Handles,
    EquatableArray<string> Ignores,
    KeyModel? Key);

/// <summary>The parameter whose value picks a keyed breaker.</summary>
/// <param name="Parameter">The parameter's name, escaped when it is a keyword.</param>
/// <param name="Type">The fully qualified key type: the parameter's type without a nullable annotation, and <c>T</c> for a <c>Nullable&lt;T&gt;</c>.</param>
/// <param name="IsNullableValueType">Whether the parameter is a <c>Nullable&lt;T&gt;</c>: its null has no breaker of its own (the group's shared one).</param>
internal sealed record KeyModel(string Parameter, string Type, bool IsNullableValueType);

/// <summary>What a guarded method returns.</summary>
internal enum ReturnShape
{
    /// <summary><c>void</c>.</summary>
    Void,

    /// <summary>A value returned synchronously.</summary>
    Value,

    /// <summary><c>Task</c>.</summary>
    Task,

    /// <summary><c>Task&lt;T&gt;</c>.</summary>
    TaskOfT,

    /// <summary><c>ValueTask</c>.</summary>
    ValueTask,

    /// <summary><c>ValueTask&lt;T&gt;</c>.</summary>
    ValueTaskOfT,

    /// <summary><c>IAsyncEnumerable&lt;T&gt;</c>: admitted at the first <c>MoveNextAsync</c>, recorded once when the stream ends.</summary>
    AsyncStream,
}

/// <summary>A type that contains the guarded method, declared again as a <c>partial</c> part.</summary>
/// <param name="Keyword">The declaration keywords after <c>partial</c>: <c>class</c>, <c>struct</c>, <c>record</c>, <c>record struct</c>.</param>
/// <param name="Modifiers">Modifiers that every part must repeat (<c>readonly</c>, <c>ref</c>), each followed by a space.</param>
/// <param name="Name">The type's name, escaped when it is a keyword.</param>
/// <param name="TypeParameters">The type parameter names, escaped when they are keywords.</param>
internal sealed record ContainingTypeModel(string Keyword, string Modifiers, string Name, EquatableArray<string> TypeParameters);

/// <summary>The partial method's signature.</summary>
/// <param name="Modifiers">The declaration's modifiers as written, including <c>partial</c>.</param>
/// <param name="ReturnType">The fully qualified return type with nullable annotations.</param>
/// <param name="Name">The method's name, escaped when it is a keyword.</param>
/// <param name="TypeParameters">The method's type parameter names.</param>
/// <param name="Constraints">One <c>where</c> clause per constrained type parameter.</param>
/// <param name="Parameters">The parameters.</param>
/// <param name="IsStatic">Whether the method is static.</param>
internal sealed record MethodSignatureModel(
    string Modifiers,
    string ReturnType,
    string Name,
    EquatableArray<string> TypeParameters,
    EquatableArray<string> Constraints,
    EquatableArray<ParameterModel> Parameters,
    bool IsStatic)
{
    /// <summary>
    /// The nullable-flow attributes a decorator's member repeats from the interface (<c>[return: global::...MaybeNull] </c>,
    /// <c>[global::...DoesNotReturn] </c>), each followed by a space, or empty. A partial method's parts merge theirs.
    /// </summary>
    public string Attributes { get; init; } = string.Empty;

    /// <summary>
    /// Whether the member promises something after the call (<c>[NotNullWhen(true)] out</c>, <c>[NotNull]</c>,
    /// <c>[NotNullIfNotNull]</c>, <c>[DoesNotReturn]</c>) that it keeps by returning the inner instance's values as they came;
    /// the compiler cannot follow them through the generated bookkeeping, so the emitter silences those checks for this member.
    /// </summary>
    public bool KeepsPostconditionsByForwarding { get; init; }

    /// <summary>
    /// The type of the local that holds a synchronous result, when it differs from <see cref="ReturnType"/>: annotated
    /// (<c>T?</c>) for a <c>[return: MaybeNull]</c> result, which may be null whatever its type says. Otherwise <see langword="null"/>.
    /// </summary>
    public string? ResultLocalType { get; init; }
}

/// <summary>One parameter of the guarded method.</summary>
/// <param name="Modifiers">The declaration modifiers as written (<c>this</c>, <c>ref</c>, <c>out</c>, <c>in</c>, <c>params</c>, <c>scoped</c>), each followed by a space.</param>
/// <param name="Type">The fully qualified type with nullable annotations.</param>
/// <param name="Name">The name, escaped when it is a keyword.</param>
/// <param name="ArgumentModifier">What a call passes before the argument: <c>ref </c>, <c>out </c>, <c>in </c> or nothing.</param>
/// <param name="IsCallerCancellationToken">Whether it is a <c>CancellationToken</c> the caller can cancel.</param>
internal sealed record ParameterModel(string Modifiers, string Type, string Name, string ArgumentModifier, bool IsCallerCancellationToken)
{
    /// <summary>
    /// The default value as declared (<c> = 5</c>), or empty. Only a decorator's members repeat the interface's; a partial
    /// method's implementation part must not (the definition's count).
    /// </summary>
    public string DefaultValue { get; init; } = string.Empty;

    /// <summary>
    /// The nullable-flow attributes a decorator's member repeats from the interface's parameter
    /// (<c>[global::System.Diagnostics.CodeAnalysis.NotNullWhen(true)] </c>), each followed by a space, or empty.
    /// </summary>
    public string Attributes { get; init; } = string.Empty;
}

/// <summary>The breaker's registry name and the settings the attribute gives explicitly.</summary>
/// <param name="Name">The breaker's name in the registry.</param>
/// <param name="Options">The attribute's explicit settings, in a fixed order.</param>
/// <param name="Hook">The break-duration hook, or <see langword="null"/> when the attribute names none.</param>
internal sealed record BreakerSettingsModel(string Name, EquatableArray<BreakerOptionModel> Options, BreakDurationHookModel? Hook);

/// <summary>
/// The <c>BreakDurationHook</c>: a static method of the containing type (or a base type), and the <c>internal</c> method the
/// generator writes beside the breaker field to forward to it, so that the assembly's declarations can name a private hook.
/// </summary>
/// <param name="Method">The hook, called from inside the containing type.</param>
/// <param name="Forwarder">The forwarding method's name.</param>
/// <param name="ForwarderReference">The forwarding method as the declarations name it: the containing type, fully qualified, and <see cref="Forwarder"/>.</param>
internal sealed record BreakDurationHookModel(string Method, string Forwarder, string ForwarderReference);

/// <summary>One setting the attribute gives explicitly.</summary>
/// <param name="Property">The <c>CircuitBreakerOptions</c> property it sets.</param>
/// <param name="Kind">How the value is written.</param>
/// <param name="Value">The value (milliseconds for <see cref="BreakerOptionKind.Milliseconds"/>).</param>
internal sealed record BreakerOptionModel(string Property, BreakerOptionKind Kind, double Value);

/// <summary>How a breaker setting's value is written.</summary>
internal enum BreakerOptionKind
{
    /// <summary>An <c>int</c>.</summary>
    Integer,

    /// <summary>A <c>double</c>.</summary>
    Ratio,

    /// <summary>A <c>TimeSpan</c> given in milliseconds.</summary>
    Milliseconds,
}

/// <summary>A call to a member of the containing type (implementation, predicate), or of a decorator's inner instance.</summary>
/// <param name="Name">The member's name, escaped when it is a keyword.</param>
/// <param name="IsStatic">Whether the member is static.</param>
/// <param name="PassesTypeArguments">Whether the call passes the guarded method's type parameters.</param>
/// <param name="Target">What the call goes through: empty for a member of the containing type, <c>this._inner.</c> for a decorator's inner instance.</param>
internal sealed record MemberCallModel(string Name, bool IsStatic, bool PassesTypeArguments, string Target = "");

/// <summary>The fallback overloads, chosen at compile time.</summary>
/// <param name="FailureCases">
/// Exception-typed overloads, most specific first, then at most one overload that takes any failure
/// (no exception parameter, or a <c>System.Exception</c> one). An exception no case takes propagates.
/// </param>
/// <param name="RejectionCase">The overload used when the circuit rejects the call, or <see langword="null"/> to throw.</param>
/// <param name="TimeoutCase">The overload used when an async call times out, or <see langword="null"/> to throw.</param>
internal sealed record FallbackModel(EquatableArray<FallbackCaseModel> FailureCases, FallbackCaseModel? RejectionCase, FallbackCaseModel? TimeoutCase);

/// <summary>One fallback overload.</summary>
/// <param name="Method">The overload.</param>
/// <param name="ExceptionType">The fully qualified type of its exception parameter, or <see langword="null"/> when it has none.</param>
/// <param name="PassesArguments">Whether it takes the guarded method's parameters.</param>
/// <param name="Returns">What it returns.</param>
internal sealed record FallbackCaseModel(MemberCallModel Method, string? ExceptionType, bool PassesArguments, FallbackReturn Returns);

/// <summary>What a fallback returns, relative to the guarded method.</summary>
internal enum FallbackReturn
{
    /// <summary>Exactly the guarded method's return type (synchronous methods and async streams).</summary>
    SameType,

    /// <summary>Nothing (for <c>Task</c>/<c>ValueTask</c> methods).</summary>
    Void,

    /// <summary>The async method's result <c>T</c>.</summary>
    Result,

    /// <summary><c>Task</c> or <c>Task&lt;T&gt;</c>.</summary>
    Task,

    /// <summary><c>ValueTask</c> or <c>ValueTask&lt;T&gt;</c>.</summary>
    ValueTask,
}
