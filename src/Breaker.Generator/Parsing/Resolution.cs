namespace Breaker.Generator.Parsing;

/// <summary>The outcome of one resolution step: a value, or the reason there is none.</summary>
/// <typeparam name="T">The resolved value's type.</typeparam>
internal readonly struct Resolution<T>
{
    private Resolution(T? value, ParseFailure? failure)
    {
        Value = value;
        Failure = failure;
    }

    /// <summary>The resolved value; meaningful only when <see cref="Failure"/> is <see langword="null"/>.</summary>
    public T? Value { get; }

    /// <summary>Why resolution failed, or <see langword="null"/> when it succeeded.</summary>
    public ParseFailure? Failure { get; }

    /// <summary>A successful resolution.</summary>
    public static Resolution<T> Success(T value) => new Resolution<T>(value, null);

    /// <summary>A failed resolution.</summary>
    public static Resolution<T> Fail(ParseFailureReason reason, string? detail = null) => new Resolution<T>(default, new ParseFailure(reason, detail));

    /// <summary>Carries another step's failure over.</summary>
    public static Resolution<T> Fail(ParseFailure failure) => new Resolution<T>(default, failure);
}
