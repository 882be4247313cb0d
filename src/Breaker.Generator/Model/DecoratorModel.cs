namespace Breaker.Generator.Model;

/// <summary>Everything the emitter needs to write one decorator class: strings, numbers and equatable arrays only.</summary>
/// <param name="HintName">The generated file's name.</param>
/// <param name="Namespace">The containing namespace, or <see langword="null"/> for the global namespace.</param>
/// <param name="ContainingTypes">The decorator and the types that contain it, outermost first (the decorator last).</param>
/// <param name="DeclaringType">The decorator as C# writes it, without <c>global::</c> or <c>@</c>, for the breaker declarations.</param>
/// <param name="InterfaceType">The fully qualified interface the decorator implements.</param>
/// <param name="Inner">The field that holds the inner instance, as code reaches it (<c>this._inner</c>).</param>
/// <param name="DeclaresInner">Whether the generator declares that field (the user declared none).</param>
/// <param name="Constructor">The decorator's name for the constructor the generator writes, or <see langword="null"/> when the user wrote one.</param>
/// <param name="Breakers">The static breaker fields: one for the decorator, or one per method name.</param>
/// <param name="Methods">The interface methods the generator implements through a breaker.</param>
/// <param name="Forwarded">The properties, indexers and events, forwarded to the inner instance without a breaker.</param>
/// <param name="Unguarded">The partial methods the user declared without <c>[CircuitBreaker]</c>: forwarded without a breaker.</param>
internal sealed record DecoratorModel(
    string HintName,
    string? Namespace,
    EquatableArray<ContainingTypeModel> ContainingTypes,
    string DeclaringType,
    string InterfaceType,
    string Inner,
    bool DeclaresInner,
    string? Constructor,
    EquatableArray<DecoratorBreakerModel> Breakers,
    EquatableArray<DecoratedMethodModel> Methods,
    EquatableArray<ForwardedMemberModel> Forwarded,
    EquatableArray<MethodSignatureModel> Unguarded);

/// <summary>One static breaker field of a decorator.</summary>
/// <param name="Field">The field's name.</param>
/// <param name="Breaker">The breaker's registry name and the class attribute's explicit settings.</param>
internal sealed record DecoratorBreakerModel(string Field, BreakerSettingsModel Breaker);

/// <summary>An interface method the generator implements through a breaker.</summary>
/// <param name="Method">The guarded method, as <c>MethodBodyWriter</c> writes it; its implementation is the inner instance's member.</param>
/// <param name="MemberName">The interface member's name, without <c>@</c>, for the breaker declarations.</param>
internal sealed record DecoratedMethodModel(GuardedMethodModel Method, string MemberName);

/// <summary>A property, an indexer or an event, forwarded to the inner instance without a breaker.</summary>
/// <param name="IsEvent">Whether it is an event (accessors <c>add</c> and <c>remove</c>).</param>
/// <param name="Declaration">The declaration's head: modifiers, type and name.</param>
/// <param name="Target">The inner member as the accessors reach it: <c>this._inner.Name</c> or <c>this._inner[index]</c>.</param>
/// <param name="Accessors">The accessors to write: <c>get</c>, <c>set</c>, <c>init</c>, or <c>add</c> and <c>remove</c>.</param>
internal sealed record ForwardedMemberModel(bool IsEvent, string Declaration, string Target, EquatableArray<string> Accessors)
{
    /// <summary>The nullable-flow attributes a property repeats from the interface's (<c>[global::...AllowNull] </c>), or empty.</summary>
    public string Attributes { get; init; } = string.Empty;
}
