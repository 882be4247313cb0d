namespace Breaker.Generator.Model;

/// <summary>What the parser made of one guarded method: exactly one of the two is set.</summary>
/// <param name="Guarded">The method's model, when it is free of errors.</param>
/// <param name="Unresolved">A sound declaration whose attribute has errors: it gets a body that throws.</param>
internal sealed record ParsedMethodModel(GuardedMethodModel? Guarded, UnresolvedMethodModel? Unresolved);
