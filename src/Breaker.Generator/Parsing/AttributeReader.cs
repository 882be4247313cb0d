using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Breaker.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Breaker.Generator.Parsing;

/// <summary>Reads <c>[CircuitBreaker]</c>'s arguments and checks them against the ranges the runtime accepts.</summary>
internal sealed class AttributeReader
{
    /// <summary>The constructor argument's name, as failures about the breaker's name report it.</summary>
    public const string NameArgument = "name";

    /// <summary>The largest count-based window the runtime supports (<c>CircuitBreakerOptions.MaxSlidingWindowSize</c>).</summary>
    private const double MaxSlidingWindowSize = 1_000_000;

    /// <summary>
    /// The attribute's settings that map onto <c>CircuitBreakerOptions</c>, in the order they are emitted, with the
    /// attribute's defaults (which are the runtime's).
    /// </summary>
    private static readonly (string Argument, string Property, BreakerOptionKind Kind, double Default)[] OptionArguments =
    {
        ("FailureRatio", "FailureRatio", BreakerOptionKind.Ratio, 0.5),
        ("MinimumThroughput", "MinimumThroughput", BreakerOptionKind.Integer, 10),
        ("SlidingWindowSize", "SlidingWindowSize", BreakerOptionKind.Integer, 100),
        ("SamplingDurationMs", "SamplingDuration", BreakerOptionKind.Milliseconds, 0),
        ("ConsecutiveFailureThreshold", "ConsecutiveFailureThreshold", BreakerOptionKind.Integer, 0),
        ("BreakDurationMs", "BreakDuration", BreakerOptionKind.Milliseconds, 60_000),
        ("SuccessThreshold", "SuccessThreshold", BreakerOptionKind.Integer, 3),
        ("TimeoutMs", "Timeout", BreakerOptionKind.Milliseconds, 0),
        ("SlowCallDurationMs", "SlowCallDuration", BreakerOptionKind.Milliseconds, 10_000),
        ("SlowCallRatio", "SlowCallRatio", BreakerOptionKind.Ratio, 0.5),
    };

    private readonly Dictionary<string, TypedConstant> _named;

    private AttributeReader(AttributeData attribute, string name)
    {
        Name = name;
        _named = new Dictionary<string, TypedConstant>();
        foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
        {
            _named[argument.Key] = argument.Value;
        }
    }

    /// <summary>The breaker's name; empty when the attribute gives none (see <see cref="CheckName"/>).</summary>
    public string Name { get; }

    /// <summary>The <c>Fallback</c> argument, if given.</summary>
    public string? Fallback => String("Fallback");

    /// <summary>The <c>Implementation</c> argument, if given.</summary>
    public string? Implementation => String("Implementation");

    /// <summary>The <c>FailureWhen</c> argument, if given.</summary>
    public string? FailureWhen => String("FailureWhen");

    /// <summary>The timeout in milliseconds, 0 when there is none.</summary>
    public double TimeoutMs => Setting("TimeoutMs");

    /// <summary>Reads the attribute, or says why its arguments cannot be used.</summary>
    public static Resolution<AttributeReader> Read(AttributeData attribute)
    {
        if (attribute.AttributeConstructor is null
            || attribute.ConstructorArguments.Length != 1
            || attribute.ConstructorArguments[0].Kind == TypedConstantKind.Error
            || attribute.NamedArguments.Any(a => a.Value.Kind == TypedConstantKind.Error))
        {
            return Resolution<AttributeReader>.Fail(ParseFailureReason.InvalidAttribute);
        }

        return Resolution<AttributeReader>.Success(new AttributeReader(attribute, attribute.ConstructorArguments[0].Value as string ?? string.Empty));
    }

    /// <summary>Checks that the breaker has a name.</summary>
    public ParseFailure? CheckName() =>
        string.IsNullOrWhiteSpace(Name) ? new ParseFailure(ParseFailureReason.MissingBreakerName) { Argument = NameArgument } : null;

    /// <summary>The settings the attribute gives explicitly, in a fixed order.</summary>
    public EquatableArray<BreakerOptionModel> Options() =>
        EquatableArray.From(OptionArguments
            .Where(o => Explicit(o.Argument) is not null)
            .Select(o => new BreakerOptionModel(o.Property, o.Kind, Explicit(o.Argument)!.Value)));

    /// <summary>Every setting the breaker gets from this attribute, explicit or default, keyed by the argument's name, in a fixed order.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> EffectiveSettings() =>
        OptionArguments.Select(o => new KeyValuePair<string, double>(o.Argument, Setting(o.Argument))).ToList();

    /// <summary>
    /// Checks every setting against the range <c>CircuitBreakerOptions.Validate()</c> accepts, so a value the runtime
    /// would reject is a compile-time error instead.
    /// </summary>
    public IEnumerable<ParseFailure> CheckSettings()
    {
        foreach (string? ratio in new[] { "FailureRatio", "SlowCallRatio" })
        {
            double value = Setting(ratio);
            if (!(value > 0 && value <= 1))
            {
                yield return OutOfRange(ratio, value, "must be greater than 0 and at most 1");
            }
        }

        if (Setting("MinimumThroughput") < 1)
        {
            yield return OutOfRange("MinimumThroughput", Setting("MinimumThroughput"), "must be at least 1");
        }

        if (Setting("SamplingDurationMs") < 0)
        {
            yield return OutOfRange("SamplingDurationMs", Setting("SamplingDurationMs"), "must be 0 (a count-based window) or positive (a time-based window)");
        }
        else if (Setting("SamplingDurationMs") == 0)
        {
            double window = Setting("SlidingWindowSize");
            double throughput = Setting("MinimumThroughput");
            if (window < 1 || window > MaxSlidingWindowSize)
            {
                yield return OutOfRange("SlidingWindowSize", window, "must be between 1 and " + Format(MaxSlidingWindowSize));
            }
            else if (window < throughput && throughput >= 1)
            {
                string rule = "must be at least MinimumThroughput (" + Format(throughput) + "): a window of " + Format(window) + " calls can never reach it";
                yield return Explicit("SlidingWindowSize") is not null || Explicit("MinimumThroughput") is null
                    ? OutOfRange("SlidingWindowSize", window, rule)
                    : OutOfRange("MinimumThroughput", throughput, "must be at most SlidingWindowSize (" + Format(window) + "): a window of " + Format(window) + " calls can never reach it");
            }
        }

        if (Setting("ConsecutiveFailureThreshold") < 0)
        {
            yield return OutOfRange("ConsecutiveFailureThreshold", Setting("ConsecutiveFailureThreshold"), "must be 0 (off) or positive");
        }

        if (Setting("BreakDurationMs") <= 0)
        {
            yield return OutOfRange("BreakDurationMs", Setting("BreakDurationMs"), "must be positive");
        }

        if (Setting("SuccessThreshold") < 1)
        {
            yield return OutOfRange("SuccessThreshold", Setting("SuccessThreshold"), "must be at least 1");
        }

        if (Setting("TimeoutMs") < 0)
        {
            yield return OutOfRange("TimeoutMs", Setting("TimeoutMs"), "must be 0 (no timeout) or positive");
        }

        if (Setting("SlowCallDurationMs") <= 0)
        {
            yield return OutOfRange("SlowCallDurationMs", Setting("SlowCallDurationMs"), "must be positive");
        }
    }

    /// <summary>Resolves <c>Handles</c> or <c>Ignores</c> to the exception types, in the order written.</summary>
    public Resolution<IReadOnlyList<INamedTypeSymbol>> ExceptionTypeSymbols(string argument, KnownTypes known)
    {
        var types = new List<INamedTypeSymbol>();
        if (!_named.TryGetValue(argument, out TypedConstant value) || value.IsNull)
        {
            return Resolution<IReadOnlyList<INamedTypeSymbol>>.Success(types);
        }

        for (int i = 0; i < value.Values.Length; i++)
        {
            TypedConstant item = value.Values[i];
            if (item.Value is not INamedTypeSymbol type || type.IsUnboundGenericType || !known.IsException(type))
            {
                string written = item.Value is ITypeSymbol symbol ? symbol.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat) : "null";
                return Resolution<IReadOnlyList<INamedTypeSymbol>>.Fail(new ParseFailure(ParseFailureReason.InvalidExceptionType, argument)
                {
                    Argument = argument,
                    ArgumentItem = i,
                    Values = EquatableArray.From(new[] { written }),
                });
            }

            types.Add(type);
        }

        return Resolution<IReadOnlyList<INamedTypeSymbol>>.Success(types);
    }

    /// <summary>Checks that no type is in both <c>Handles</c> and <c>Ignores</c>, where it would count as both a failure and nothing.</summary>
    public static ParseFailure? CheckOverlap(IReadOnlyList<INamedTypeSymbol> handles, IReadOnlyList<INamedTypeSymbol> ignores)
    {
        for (int i = 0; i < ignores.Count; i++)
        {
            if (handles.Any(h => SymbolEqualityComparer.Default.Equals(h, ignores[i])))
            {
                return new ParseFailure(ParseFailureReason.ExceptionTypeHandledAndIgnored, "Ignores")
                {
                    Argument = "Ignores",
                    ArgumentItem = i,
                    Values = EquatableArray.From(new[] { ignores[i].ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat) }),
                };
            }
        }

        return null;
    }

    private static ParseFailure OutOfRange(string argument, double value, string rule) =>
        new ParseFailure(ParseFailureReason.SettingOutOfRange, argument)
        {
            Argument = argument,
            Values = EquatableArray.From(new[] { Format(value), rule }),
        };

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private double Setting(string argument) =>
        Explicit(argument) ?? OptionArguments.First(o => o.Argument == argument).Default;

    private double? Explicit(string argument) =>
        _named.TryGetValue(argument, out TypedConstant value) && value.Value is { } raw ? System.Convert.ToDouble(raw, CultureInfo.InvariantCulture) : null;

    private string? String(string argument) =>
        _named.TryGetValue(argument, out TypedConstant value) ? value.Value as string : null;
}
