namespace Breaker.Generator;

/// <summary>The names of the generator's pipeline steps, for incrementality tests.</summary>
internal static class TrackingNames
{
    /// <summary>Methods carrying <c>[CircuitBreaker]</c>, parsed (<see langword="null"/> when they yield no code).</summary>
    public const string ParsedMethods = nameof(ParsedMethods);

    /// <summary>The models of the methods that yield code.</summary>
    public const string SupportedMethods = nameof(SupportedMethods);

    /// <summary>Sound declarations whose attribute has errors: they get a body that throws, so the build shows the Breaker error.</summary>
    public const string UnresolvedMethods = nameof(UnresolvedMethods);

    /// <summary>The models of the decorator classes that yield code.</summary>
    public const string Decorators = nameof(Decorators);

    /// <summary>What the project can compile (its C# version, netstandard2.0 or .NET 8+ members), one value per compilation.</summary>
    public const string Target = nameof(Target);

    /// <summary>Every breaker the assembly's guarded methods declare, in order, for its module initializer.</summary>
    public const string Declarations = nameof(Declarations);
}
