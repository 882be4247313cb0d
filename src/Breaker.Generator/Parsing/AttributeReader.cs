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

    /// <summary>
    /// The attribute's settings that map onto <c>CircuitBreakerOptions</c>, in the order they are emitted, each with its
    /// default and its rule, both from the definitions the attribute and the runtime share (src/Shared).
    /// </summary>
    internal static readonly IReadOnlyList<SettingDefinition> Settings = new[]
    {
        new SettingDefinition("FailureRatio", "FailureRatio", BreakerOptionKind.Ratio, BreakerDefaults.FailureRatio, BreakerLimits.Ratio),
        new SettingDefinition("MinimumThroughput", "MinimumThroughput", BreakerOptionKind.Integer, BreakerDefaults.MinimumThroughput, BreakerLimits.MinimumThroughput),
        new SettingDefinition("SlidingWindowSize", "SlidingWindowSize", BreakerOptionKind.Integer, BreakerDefaults.SlidingWindowSize, BreakerLimits.SlidingWindowSize),
        new SettingDefinition("SamplingDurationMs", "SamplingDuration", BreakerOptionKind.Milliseconds, BreakerDefaults.SamplingDurationMs, BreakerLimits.SamplingDurationMs),
        new SettingDefinition("ConsecutiveFailureThreshold", "ConsecutiveFailureThreshold", BreakerOptionKind.Integer, BreakerDefaults.ConsecutiveFailureThreshold, BreakerLimits.ConsecutiveFailureThreshold),
        new SettingDefinition("BreakDurationMs", "BreakDuration", BreakerOptionKind.Milliseconds, BreakerDefaults.BreakDurationMs, BreakerLimits.BreakDurationMs),
        new SettingDefinition("SuccessThreshold", "SuccessThreshold", BreakerOptionKind.Integer, BreakerDefaults.SuccessThreshold, BreakerLimits.SuccessThreshold),
        new SettingDefinition("TimeoutMs", "Timeout", BreakerOptionKind.Milliseconds, BreakerDefaults.TimeoutMs, BreakerLimits.TimeoutMs),
        new SettingDefinition("SlowCallDurationMs", "SlowCallDuration", BreakerOptionKind.Milliseconds, BreakerDefaults.SlowCallDurationMs, BreakerLimits.SlowCallDurationMs),
        new SettingDefinition("SlowCallRatio", "SlowCallRatio", BreakerOptionKind.Ratio, BreakerDefaults.SlowCallRatio, BreakerLimits.Ratio),
        new SettingDefinition("BreakDurationMultiplier", "BreakDurationMultiplier", BreakerOptionKind.Ratio, BreakerDefaults.BreakDurationMultiplier, BreakerLimits.BreakDurationMultiplier),
        new SettingDefinition("MaxBreakDurationMs", "MaxBreakDuration", BreakerOptionKind.Milliseconds, BreakerDefaults.MaxBreakDurationMs, BreakerLimits.MaxBreakDurationMs),
        new SettingDefinition("BreakJitterRatio", "BreakJitterRatio", BreakerOptionKind.Ratio, BreakerDefaults.BreakJitterRatio, BreakerLimits.BreakJitterRatio),
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

    /// <summary>The <c>Key</c> argument, if given: the parameter whose value picks the breaker.</summary>
    public string? Key => String("Key");

    /// <summary>The <c>BreakDurationHook</c> argument, if given.</summary>
    public string? BreakDurationHook => String("BreakDurationHook");

    /// <summary>The <c>PerMethod</c> argument: on a decorator, one breaker per interface method.</summary>
    public bool PerMethod => _named.TryGetValue("PerMethod", out TypedConstant value) && value.Value is true;

    /// <summary>Whether the attribute sets <paramref name="argument"/> explicitly.</summary>
    public bool IsSet(string argument) => _named.ContainsKey(argument);

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
        EquatableArray.From(Settings
            .Where(o => Explicit(o.Argument) is not null)
            .Select(o => new BreakerOptionModel(o.Property, o.Kind, Explicit(o.Argument)!.Value)));

    /// <summary>Every setting the breaker gets from this attribute, explicit or default, keyed by the argument's name, in a fixed order.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> EffectiveSettings() =>
        Settings.Select(o => new KeyValuePair<string, double>(o.Argument, Setting(o.Argument))).ToList();

    /// <summary>
    /// Checks every setting against the range <c>CircuitBreakerOptions.Validate()</c> accepts (the same rules, from
    /// src/Shared), so a value the runtime would reject is a compile-time error instead.
    /// </summary>
    public IEnumerable<ParseFailure> CheckSettings()
    {
        foreach (SettingDefinition setting in Settings)
        {
            double value = Setting(setting.Argument);
            bool countWindowOnly = setting.Argument == "SlidingWindowSize";
            if ((!countWindowOnly || Setting("SamplingDurationMs") == 0) && setting.Rule(value) is { } rule)
            {
                yield return OutOfRange(setting.Argument, value, rule);
            }
        }

        // A count-based window must be able to hold MinimumThroughput calls: said of whichever of the two was written out.
        double window = Setting("SlidingWindowSize");
        double throughput = Setting("MinimumThroughput");
        if (Setting("SamplingDurationMs") == 0
            && BreakerLimits.SlidingWindowSize(window) is null
            && BreakerLimits.MinimumThroughput(throughput) is null
            && BreakerLimits.WindowHoldsThroughput(window, throughput) is { } windowRule)
        {
            yield return Explicit("SlidingWindowSize") is not null || Explicit("MinimumThroughput") is null
                ? OutOfRange("SlidingWindowSize", window, windowRule)
                : OutOfRange("MinimumThroughput", throughput, BreakerLimits.ThroughputFitsWindow(throughput, window)!);
        }

        // With back-off on, the longest break cannot be shorter than the first one: said of MaxBreakDurationMs, as Validate() does.
        double maxBreak = Setting("MaxBreakDurationMs");
        double multiplier = Setting("BreakDurationMultiplier");
        if (BreakerLimits.MaxBreakDurationMs(maxBreak) is null
            && BreakerLimits.BreakDurationMultiplier(multiplier) is null
            && BreakerLimits.MaxBreakCoversBreak(maxBreak, Setting("BreakDurationMs"), multiplier) is { } coverRule)
        {
            yield return OutOfRange("MaxBreakDurationMs", maxBreak, coverRule);
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
            Values = EquatableArray.From(new[] { BreakerLimits.Format(value), rule }),
        };

    private double Setting(string argument) =>
        Explicit(argument) ?? Settings.First(o => o.Argument == argument).Default;

    private double? Explicit(string argument) =>
        _named.TryGetValue(argument, out TypedConstant value) && value.Value is { } raw ? System.Convert.ToDouble(raw, CultureInfo.InvariantCulture) : null;

    private string? String(string argument) =>
        _named.TryGetValue(argument, out TypedConstant value) ? value.Value as string : null;
}
