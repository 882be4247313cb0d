namespace Breaker.Parts;

/// <summary>The part of a group's shared breaker (<c>group:*</c>): it has no key of its own and is never evicted.</summary>
internal sealed class SharedKeyPart : KeyPart
{
    public SharedKeyPart(CircuitBreakerGroup group) => Group = group;

    public override CircuitBreakerGroup Group { get; }

    public override bool IsShared => true;

    public override CircuitBreaker Relookup() => Group.Shared();
}
