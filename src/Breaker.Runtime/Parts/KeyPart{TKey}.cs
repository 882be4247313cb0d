namespace Breaker.Parts;

/// <summary>
/// The part of the breaker of one key: which keys it is one of and its key, unboxed (an <c>int</c> key costs four bytes here,
/// not a boxed object).
/// </summary>
/// <typeparam name="TKey">The key's type.</typeparam>
internal sealed class KeyPart<TKey> : KeyPart
    where TKey : notnull
{
    private readonly CircuitBreakerKeys<TKey> _keys;
    private readonly TKey _key;

    public KeyPart(CircuitBreakerKeys<TKey> keys, TKey key)
    {
        _keys = keys;
        _key = key;
    }

    public override CircuitBreakerGroup Group => _keys.Group;

    public override bool IsShared => false;

    public override CircuitBreaker Relookup() => _keys.GetBreaker(_key);
}
