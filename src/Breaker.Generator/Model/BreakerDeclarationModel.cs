using System.Linq;

namespace Breaker.Generator.Model;

/// <summary>One breaker a guarded method declares, as the assembly's module initializer tells the registry about it.</summary>
/// <param name="Breaker">The breaker's name and the attribute's explicit settings.</param>
/// <param name="DeclaringType">The containing type as C# writes it, without <c>global::</c> or <c>@</c> (<c>Shop.Outer&lt;T&gt;.Inner</c>).</param>
/// <param name="MethodName">The guarded method's name, without <c>@</c>.</param>
/// <param name="KeyParameter">For a keyed breaker, the parameter whose value picks it, without <c>@</c>; otherwise <see langword="null"/>.</param>
/// <param name="Fallback">The fallback's name, without <c>@</c>, or <see langword="null"/> when the method has none.</param>
internal sealed record BreakerDeclarationModel(BreakerSettingsModel Breaker, string DeclaringType, string MethodName, string? KeyParameter, string? Fallback)
{
    /// <summary>The declaration of a method that yields code.</summary>
    public static BreakerDeclarationModel From(GuardedMethodModel method)
    {
        string type = string.Join(".", method.ContainingTypes.Select(static t =>
            Plain(t.Name) + (t.TypeParameters.Count == 0 ? string.Empty : "<" + string.Join(", ", t.TypeParameters.Select(Plain)) + ">")));
        return new BreakerDeclarationModel(
            method.Breaker,
            method.Namespace is null ? type : string.Join(".", method.Namespace.Split('.').Select(Plain)) + "." + type,
            Plain(method.Signature.Name),
            method.Key is null ? null : Plain(method.Key.Parameter),
            FallbackName(method.Fallback));
    }

    /// <summary>The declarations of a decorator: one per guarded interface member (overloads declare theirs once).</summary>
    public static System.Collections.Generic.IEnumerable<BreakerDeclarationModel> From(DecoratorModel decorator) =>
        decorator.Methods
            .Select(m => new BreakerDeclarationModel(m.Method.Breaker, decorator.DeclaringType, m.MemberName, null, null))
            .Distinct();

    /// <summary>Every overload of a fallback has one name: take it from whichever case there is.</summary>
    private static string? FallbackName(FallbackModel? fallback) =>
        (fallback?.RejectionCase ?? fallback?.TimeoutCase ?? fallback?.FailureCases.FirstOrDefault())?.Method.Name is { } name ? Plain(name) : null;

    // Identifiers are kept escaped for code (@class); the declaration names them as a reader would.
    private static string Plain(string identifier) => identifier.TrimStart('@');
}
