using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Breaker.EndToEnd.Tests.Services;

public sealed record Item(string Sku, int Count);

/// <summary>The part of the inventory API every client of it shares (an interface the decorated one inherits).</summary>
public interface IInventoryHealth
{
    bool IsHealthy();
}

/// <summary>An inventory API "owned by another team": every shape an interface member can take.</summary>
public interface IInventoryApi : IInventoryHealth
{
    event EventHandler<string>? Restocked;

    string Region { get; set; }

    int this[string sku] { get; }

    void Reserve(string sku, int count);

    int Count(string sku);

    int Count(string sku, string warehouse);

    bool TryCount(string sku, out int count);

    Task RefreshAsync(CancellationToken cancellationToken);

    Task<Item> GetItemAsync(string sku, CancellationToken cancellationToken);

    ValueTask PingAsync();

    ValueTask<int> TotalAsync();

    T Describe<T>(string sku, Func<string, T> describe)
        where T : notnull;
}

/// <summary>The implementation the decorators wrap: it throws <see cref="Failure"/> whenever one is set, and counts every call it gets.</summary>
public sealed class InventoryBackend : IInventoryApi
{
    public Exception? Failure { get; set; }

    public int Calls { get; private set; }

    public string Region { get; set; } = "eu";

    public event EventHandler<string>? Restocked;

    public int this[string sku] => Hit(sku.Length);

    public void RaiseRestocked(string sku) => Restocked?.Invoke(this, sku);

    public bool IsHealthy() => Hit(true);

    public void Reserve(string sku, int count) => Hit(count);

    public int Count(string sku) => Hit(sku.Length);

    public int Count(string sku, string warehouse) => Hit(sku.Length + warehouse.Length);

    public bool TryCount(string sku, out int count)
    {
        count = Hit(sku.Length);
        return true;
    }

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        Hit(0);
    }

    public async Task<Item> GetItemAsync(string sku, CancellationToken cancellationToken)
    {
        await Task.Yield();
        return Hit(new Item(sku, sku.Length));
    }

    public ValueTask PingAsync()
    {
        Hit(0);
        return default;
    }

    public ValueTask<int> TotalAsync() => new(Hit(42));

    public T Describe<T>(string sku, Func<string, T> describe)
        where T : notnull => Hit(describe(sku));

    private T Hit<T>(T value)
    {
        Calls++;
        return Failure is null ? value : throw Failure;
    }
}

/// <summary>The one-line decorator: one breaker for every member.</summary>
[CircuitBreaker("e2e-decorated", ConsecutiveFailureThreshold = 2, BreakDurationMs = 30_000)]
public sealed partial class InventoryBreaker : IInventoryApi;

/// <summary>One breaker per method, named <c>e2e-inventory-each.Method</c>.</summary>
[CircuitBreaker("e2e-decorated-each", PerMethod = true, ConsecutiveFailureThreshold = 1)]
public sealed partial class InventoryBreakerPerMethod : IInventoryApi;

/// <summary>Members chosen one by one: a fallback and a key on one, another breaker on one, one left unguarded.</summary>
[CircuitBreaker("e2e-decorated-custom", ConsecutiveFailureThreshold = 1, Ignores = [typeof(ArgumentException)])]
public sealed partial class CustomisedInventoryBreaker : IInventoryApi
{
    [CircuitBreaker("e2e-decorated-items", Key = nameof(sku), Fallback = nameof(OutOfStock), ConsecutiveFailureThreshold = 1)]
    public partial Task<Item> GetItemAsync(string sku, CancellationToken cancellationToken);

    /// <summary>Declared without [CircuitBreaker]: forwarded with no breaker.</summary>
    public partial bool IsHealthy();

    /// <summary>Written by hand: the generator leaves it alone.</summary>
    public int Count(string sku, string warehouse) => -1;

    private static Item OutOfStock(string sku, CancellationToken cancellationToken) => new(sku, 0);
}

/// <summary>A decorator with its own constructor: the inner instance is the field of the interface's type.</summary>
[CircuitBreaker("e2e-decorated-own-constructor")]
public sealed partial class InventoryBreakerWithOwnConstructor : IInventoryApi
{
    private readonly IInventoryApi _api;

    public InventoryBreakerWithOwnConstructor(InventoryBackend api, string label)
    {
        _api = api;
        Label = label;
    }

    public string Label { get; }
}
