using System;

namespace Breaker.EndToEnd.Tests.Services;

/// <summary>A breaker that only <see cref="DeclarationTests"/> calls, after checking that the registry lists it already.</summary>
public partial class Stockroom
{
    [CircuitBreaker("e2e-declared", FailureRatio = 0.3, SlidingWindowSize = 500, MinimumThroughput = 200)]
    public partial int Count(string sku);

    private int CountCore(string sku) => sku.Length;
}

/// <summary>An exception type whose local name would be a keyword.</summary>
public sealed class Default : Exception
{
}

public partial class KeywordNamedFailures
{
    [CircuitBreaker("e2e-keyword-exception", Fallback = nameof(Recover))]
    public partial int Run(bool fail);

    private int RunCore(bool fail) => fail ? throw new Default() : 1;

    private static int Recover(Default error) => -1;
}
