namespace Breaker.Generator.Model;

/// <summary>
/// A guarded method whose declaration is sound but whose attribute names something that does not fit (a fallback, the
/// implementation, a setting). The generator gives it a body that throws, so the compiler reports Breaker's own error
/// for it rather than "partial method must have an implementation part"; that error still fails the build.
/// </summary>
/// <param name="HintName">The generated file's name, unique across types and overloads.</param>
/// <param name="Namespace">The containing namespace, or <see langword="null"/> for the global namespace.</param>
/// <param name="ContainingTypes">The containing types, outermost first.</param>
/// <param name="Signature">The partial method's signature, reproduced exactly.</param>
internal sealed record UnresolvedMethodModel(
    string HintName,
    string? Namespace,
    EquatableArray<ContainingTypeModel> ContainingTypes,
    MethodSignatureModel Signature);
