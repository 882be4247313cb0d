using System;
using Breaker.Generator.Model;

namespace Breaker.Generator.Parsing;

/// <summary>One of the attribute's settings that maps onto a <c>CircuitBreakerOptions</c> property.</summary>
internal sealed class SettingDefinition
{
    public SettingDefinition(string argument, string property, BreakerOptionKind kind, double defaultValue, Func<double, string?> rule)
    {
        Argument = argument;
        Property = property;
        Kind = kind;
        Default = defaultValue;
        Rule = rule;
    }

    /// <summary>The attribute's named argument (<c>BreakDurationMs</c>).</summary>
    public string Argument { get; }

    /// <summary>The options property it sets (<c>BreakDuration</c>).</summary>
    public string Property { get; }

    /// <summary>How its value is written (a <see cref="BreakerOptionKind.Milliseconds"/> value becomes a <c>TimeSpan</c>).</summary>
    public BreakerOptionKind Kind { get; }

    /// <summary>Its value when the attribute leaves it out (<c>BreakerDefaults</c>).</summary>
    public double Default { get; }

    /// <summary>What the value must be, or <see langword="null"/> when it is allowed (<c>BreakerLimits</c>).</summary>
    public Func<double, string?> Rule { get; }
}
