using System.Collections.Generic;
using System.Linq;
using Breaker.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Breaker.Generator.Parsing
{
    /// <summary>Reads <c>[CircuitBreaker]</c>'s arguments.</summary>
    internal sealed class AttributeReader
    {
        /// <summary>The attribute's settings that map onto <c>CircuitBreakerOptions</c>, in the order they are emitted.</summary>
        private static readonly (string Argument, string Property, BreakerOptionKind Kind)[] OptionArguments =
        {
            ("FailureRatio", "FailureRatio", BreakerOptionKind.Ratio),
            ("MinimumThroughput", "MinimumThroughput", BreakerOptionKind.Integer),
            ("SlidingWindowSize", "SlidingWindowSize", BreakerOptionKind.Integer),
            ("SamplingDurationMs", "SamplingDuration", BreakerOptionKind.Milliseconds),
            ("ConsecutiveFailureThreshold", "ConsecutiveFailureThreshold", BreakerOptionKind.Integer),
            ("BreakDurationMs", "BreakDuration", BreakerOptionKind.Milliseconds),
            ("SuccessThreshold", "SuccessThreshold", BreakerOptionKind.Integer),
            ("TimeoutMs", "Timeout", BreakerOptionKind.Milliseconds),
            ("SlowCallDurationMs", "SlowCallDuration", BreakerOptionKind.Milliseconds),
            ("SlowCallRatio", "SlowCallRatio", BreakerOptionKind.Ratio),
        };

        private readonly Dictionary<string, TypedConstant> _named;

        private AttributeReader(AttributeData attribute, string name)
        {
            Name = name;
            _named = new Dictionary<string, TypedConstant>();
            foreach (var argument in attribute.NamedArguments)
            {
                _named[argument.Key] = argument.Value;
            }
        }

        /// <summary>The breaker's name.</summary>
        public string Name { get; }

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

            var name = attribute.ConstructorArguments[0].Value as string;
            if (string.IsNullOrWhiteSpace(name))
            {
                return Resolution<AttributeReader>.Fail(ParseFailureReason.MissingBreakerName);
            }

            return Resolution<AttributeReader>.Success(new AttributeReader(attribute, name!));
        }

        /// <summary>The <c>Fallback</c> argument, if given.</summary>
        public string? Fallback => String("Fallback");

        /// <summary>The <c>Implementation</c> argument, if given.</summary>
        public string? Implementation => String("Implementation");

        /// <summary>The <c>FailureWhen</c> argument, if given.</summary>
        public string? FailureWhen => String("FailureWhen");

        /// <summary>The settings the attribute gives explicitly, in a fixed order.</summary>
        public EquatableArray<BreakerOptionModel> Options()
        {
            var options = new List<BreakerOptionModel>();
            foreach (var (argument, property, kind) in OptionArguments)
            {
                if (_named.TryGetValue(argument, out var value) && value.Value is { } raw)
                {
                    options.Add(new BreakerOptionModel(property, kind, System.Convert.ToDouble(raw, System.Globalization.CultureInfo.InvariantCulture)));
                }
            }

            return EquatableArray.From(options);
        }

        /// <summary>Resolves <c>Handles</c> or <c>Ignores</c> to fully qualified exception types.</summary>
        public Resolution<EquatableArray<string>> ExceptionTypes(string argument, KnownTypes known)
        {
            if (!_named.TryGetValue(argument, out var value) || value.IsNull)
            {
                return Resolution<EquatableArray<string>>.Success(EquatableArray<string>.Empty);
            }

            var types = new List<string>();
            foreach (var item in value.Values)
            {
                if (item.Value is not INamedTypeSymbol type || type.IsUnboundGenericType || !known.IsException(type))
                {
                    return Resolution<EquatableArray<string>>.Fail(ParseFailureReason.InvalidExceptionType, argument);
                }

                types.Add(SymbolNames.Type(type));
            }

            return Resolution<EquatableArray<string>>.Success(EquatableArray.From(types.Distinct()));
        }

        private string? String(string argument) =>
            _named.TryGetValue(argument, out var value) ? value.Value as string : null;
    }
}
