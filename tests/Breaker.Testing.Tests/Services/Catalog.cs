namespace Breaker.Testing.Tests.Services;

/// <summary>Declarations in shapes the descriptors must name right: a generic containing type, a nested type, overloads.</summary>
public sealed partial class Catalog<TItem>
{
    public partial class Shelf
    {
        [CircuitBreaker("testing-shelf", FailureRatio = 0.25, BreakDurationMs = 5_000)]
        public partial TItem? Top(int position);

        private TItem? TopCore(int position) => default;
    }

    [CircuitBreaker("testing-by-id")]
    public partial int Find(int id);

    [CircuitBreaker("testing-by-key")]
    public partial int Find(string key);

    [CircuitBreaker("testing-size", Fallback = nameof(NoSize))]
    public partial int Size(string key);

    [CircuitBreaker("testing-size", Fallback = nameof(NoSize))]
    public partial int Size(string key, int version);

    public int Unguarded() => 0;

    private int FindCore(int id) => id;

    private int FindCore(string key) => key.Length;

    private int SizeCore(string key) => key.Length;

    private int SizeCore(string key, int version) => version;

    private static int NoSize() => 0;
}
