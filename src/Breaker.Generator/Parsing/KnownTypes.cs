using Microsoft.CodeAnalysis;

namespace Breaker.Generator.Parsing;

/// <summary>The framework and runtime types the parser compares against, looked up once per parse.</summary>
internal sealed class KnownTypes
{
    public KnownTypes(Compilation compilation)
    {
        Compilation = compilation;
        Exception = compilation.GetTypeByMetadataName("System.Exception");
        CancellationToken = compilation.GetTypeByMetadataName("System.Threading.CancellationToken");
        Task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
        TaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1");
        ValueTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask");
        ValueTaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1");
        AsyncEnumerable = compilation.GetTypeByMetadataName("System.Collections.Generic.IAsyncEnumerable`1");
        AsyncEnumerator = compilation.GetTypeByMetadataName("System.Collections.Generic.IAsyncEnumerator`1");
        BrokenCircuitException = compilation.GetTypeByMetadataName("Breaker.BrokenCircuitException");
        TimeoutException = compilation.GetTypeByMetadataName("System.TimeoutException");
        TimeSpan = compilation.GetTypeByMetadataName("System.TimeSpan");
        BreakContext = compilation.GetTypeByMetadataName("Breaker.BreakContext");
        CircuitBreakerAttribute = compilation.GetTypeByMetadataName(GuardedMethodParser.AttributeMetadataName);
    }

    public Compilation Compilation { get; }

    public INamedTypeSymbol? Exception { get; }

    public INamedTypeSymbol? CancellationToken { get; }

    public INamedTypeSymbol? Task { get; }

    public INamedTypeSymbol? TaskOfT { get; }

    public INamedTypeSymbol? ValueTask { get; }

    public INamedTypeSymbol? ValueTaskOfT { get; }

    public INamedTypeSymbol? AsyncEnumerable { get; }

    public INamedTypeSymbol? AsyncEnumerator { get; }

    public INamedTypeSymbol? BrokenCircuitException { get; }

    public INamedTypeSymbol? TimeoutException { get; }

    public INamedTypeSymbol? TimeSpan { get; }

    public INamedTypeSymbol? BreakContext { get; }

    public INamedTypeSymbol? CircuitBreakerAttribute { get; }

    /// <summary>Whether <paramref name="type"/> is <see cref="System.Exception"/> or derives from it.</summary>
    public bool IsException(ITypeSymbol? type)
    {
        for (var current = type as INamedTypeSymbol; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, Exception))
            {
                return true;
            }
        }

        return false;
    }
}
