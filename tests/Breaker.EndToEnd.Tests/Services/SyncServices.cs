using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.IO;

namespace Breaker.EndToEnd.Tests.Services;

/// <summary>A dependency that fails on demand; counts the calls that reach it.</summary>
public partial class Inventory
{
    public Exception? Failure { get; set; }

    public int CoreCalls { get; private set; }

    [CircuitBreaker("e2e-inventory", MinimumThroughput = 4, SlidingWindowSize = 10, FailureRatio = 0.5, BreakDurationMs = 30_000, SuccessThreshold = 2)]
    public partial int Count(string sku);

    private int CountCore(string sku)
    {
        CoreCalls++;
        return Failure is null ? sku.Length : throw Failure;
    }
}

public partial class PriceList
{
    public Exception? Failure { get; set; }

    public Exception? FallbackReceived { get; private set; }

    [CircuitBreaker("e2e-prices", Fallback = nameof(CachedPrice), MinimumThroughput = 2, FailureRatio = 0.5)]
    public partial decimal Price(string sku);

    private decimal PriceCore(string sku) => Failure is null ? 10m : throw Failure;

    private decimal CachedPrice(string sku, Exception error)
    {
        FallbackReceived = error;
        return -1m;
    }
}

/// <summary>Fallback overloads picked by the exception caught.</summary>
public partial class FileStore
{
    public Exception? Failure { get; set; }

    [CircuitBreaker("e2e-files", Fallback = nameof(Fallback), ConsecutiveFailureThreshold = 3)]
    public partial string Read(string path);

    private string ReadCore(string path) => Failure is null ? "content" : throw Failure;

    private static string Fallback(string path, FileNotFoundException error) => "missing:" + path;

    private static string Fallback(IOException error) => "io:" + error.Message;

    private static string Fallback(BrokenCircuitException error) => "open:" + error.CircuitName;

    private static string Fallback() => "unknown";
}

public partial class Classifier
{
    public Exception? Failure { get; set; }

    public int Status { get; set; } = 200;

    [CircuitBreaker("e2e-classify", Handles = new[] { typeof(IOException) }, Ignores = new[] { typeof(FileNotFoundException) }, FailureWhen = nameof(IsServerError))]
    public partial int Send(string path);

    private int SendCore(string path) => Failure is null ? Status : throw Failure;

    private static bool IsServerError(int status) => status < 0 ? throw new ArgumentOutOfRangeException(nameof(status)) : status >= 500;
}

public static partial class Checksum
{
    public static bool Fail { get; set; }

    [CircuitBreaker("e2e-checksum", Fallback = nameof(Unknown))]
    public static partial int Compute(ReadOnlySpan<byte> data, Span<byte> scratch);

    private static int ComputeCore(ReadOnlySpan<byte> data, Span<byte> scratch)
    {
        if (Fail)
        {
            throw new InvalidDataException("corrupt");
        }

        data.CopyTo(scratch);
        int sum = 0;
        foreach (byte b in data)
        {
            sum += b;
        }

        return sum;
    }

    private static int Unknown(ReadOnlySpan<byte> data, Span<byte> scratch)
    {
        scratch.Clear();
        return -1;
    }
}

public partial class Parser
{
    public bool Fail { get; set; }

    [CircuitBreaker("e2e-parser", Fallback = nameof(NotParsed), ConsecutiveFailureThreshold = 1)]
    public partial bool TryParse(string text, ref int position, out int value, int radix = 10);

    private bool TryParseCore(string text, ref int position, out int value, int radix)
    {
        if (Fail)
        {
            throw new FormatException(text);
        }

        value = Convert.ToInt32(text, radix);
        position += text.Length;
        return true;
    }

    private static bool NotParsed(string text, ref int position, out int value, int radix, Exception error)
    {
        value = error is BrokenCircuitException ? -2 : -1;
        return false;
    }
}

/// <summary>A lookup whose partial methods promise nullability on their out parameters, as TryGetValue does.</summary>
public partial class SettingsStore
{
    private readonly Dictionary<string, object> _values = new() { ["region"] = "eu-west", ["retries"] = 3 };

    public bool Fail { get; set; }

    public Exception? FallbackReceived { get; private set; }

    [CircuitBreaker("e2e-settings", Fallback = nameof(NotFound), ConsecutiveFailureThreshold = 2, BreakDurationMs = 10_000)]
    public partial bool TryGet(string key, [NotNullWhen(true)] out string? value);

    [CircuitBreaker("e2e-settings-typed")]
    public partial bool TryRead<T>(string key, [MaybeNullWhen(false)] out T value);

    private bool TryGetCore(string key, [NotNullWhen(true)] out string? value)
    {
        if (Fail)
        {
            throw new IOException("settings store down");
        }

        value = _values.TryGetValue(key, out object? found) ? found as string : null;
        return value is not null;
    }

    private bool NotFound(string key, [NotNullWhen(true)] out string? value, Exception error)
    {
        FallbackReceived = error;
        value = null;
        return false;
    }

    private bool TryReadCore<T>(string key, [MaybeNullWhen(false)] out T value)
    {
        if (_values.TryGetValue(key, out object? found) && found is T typed)
        {
            value = typed;
            return true;
        }

        value = default;
        return false;
    }
}

public partial class Notifier
{
    public int Sent { get; private set; }

    public int Queued { get; private set; }

    public bool Fail { get; set; }

    [CircuitBreaker("e2e-notifier", Fallback = nameof(Queue))]
    public partial void Notify(string message);

    private void NotifyCore(string message)
    {
        if (Fail)
        {
            throw new InvalidOperationException(message);
        }

        Sent++;
    }

    private void Queue(string message) => Queued++;
}

public static partial class TextExtensions
{
    [CircuitBreaker("e2e-extension", Implementation = nameof(CountWords))]
    public static partial int WordCount(this string text);

    private static int CountWords(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
}
