using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Breaker.Generator.Analyzers;
using Breaker.Generator.Model;
using Breaker.Generator.Parsing;
using Breaker.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Breaker.Generator.Tests;

/// <summary>
/// Every default and every limit is written once (src/Shared): the attribute, the generator and the runtime's options
/// must agree on each setting. Reflection reads the attribute's and the options' values; the generator's are its table.
/// </summary>
public class SharedDefinitionsTests
{
    /// <summary>
    /// Options that are not numeric settings of the attribute, so the generator has no row for them: code (the attribute names
    /// the hook by nameof, resolved like a fallback) and a seed that only tests and simulations set, and the keyed groups' settings (configured by the group's name).
    /// </summary>
    private static readonly string[] RuntimeOnlyOptions = ["ShouldHandle", "BreakDurationHook", "BreakJitterSeed", "MaxKeys", "KeyIdleTimeout", "MetricsPerKey", "CountSlowCallsInFlight", "MaxRetryAfter"];

    [Fact]
    public void Attribute_generator_and_options_agree_on_every_default()
    {
        var attribute = new CircuitBreakerAttribute("defaults");
        var options = new CircuitBreakerOptions();

        foreach (SettingDefinition setting in AttributeReader.Settings)
        {
            double fromAttribute = Convert.ToDouble(typeof(CircuitBreakerAttribute).GetProperty(setting.Argument)!.GetValue(attribute), CultureInfo.InvariantCulture);
            Assert.Equal((setting.Argument, setting.Default), (setting.Argument, fromAttribute));
            Assert.Equal((setting.Property, setting.Default), (setting.Property, OptionValue(options, setting)));
        }

        Assert.Null(options.ShouldHandle);
        Assert.Equal(BreakerDefaults.MaxKeys, options.MaxKeys);
        Assert.Equal(TimeSpan.FromMilliseconds(BreakerDefaults.KeyIdleTimeoutMs), options.KeyIdleTimeout);
        Assert.False(options.MetricsPerKey);
        Assert.False(options.CountSlowCallsInFlight);
        Assert.Equal(TimeSpan.FromMilliseconds(BreakerDefaults.MaxRetryAfterMs), options.MaxRetryAfter);
        Assert.Null(options.BreakDurationHook);
        Assert.Null(attribute.BreakDurationHook);
        Assert.Null(options.BreakJitterSeed);
    }

    [Fact]
    public void The_generator_knows_every_setting_of_the_attribute_and_the_option_each_one_sets()
    {
        string[] attributeSettings = typeof(CircuitBreakerAttribute).GetProperties()
            .Where(static p => p.CanWrite && (p.PropertyType == typeof(int) || p.PropertyType == typeof(double)))
            .Select(static p => p.Name)
            .Order(StringComparer.Ordinal)
            .ToArray();
        string[] optionSettings = typeof(CircuitBreakerOptions).GetProperties()
            .Where(static p => p.CanWrite && !RuntimeOnlyOptions.Contains(p.Name))
            .Select(static p => p.Name)
            .Order(StringComparer.Ordinal)
            .ToArray();

        Assert.Equal(attributeSettings, AttributeReader.Settings.Select(static s => s.Argument).Order(StringComparer.Ordinal));
        Assert.Equal(optionSettings, AttributeReader.Settings.Select(static s => s.Property).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_analyzer_rejects_exactly_the_attribute_values_that_Validate_rejects_and_in_the_same_words()
    {
        (SettingDefinition Setting, string Literal, double Value)[] cases = AttributeReader.Settings
            .SelectMany(static setting => Candidates(setting.Kind).Select(value => (Setting: setting, Literal: value.Literal, Value: value.Value)))
            .ToArray();
        var source = new StringBuilder("public partial class Settings\n{\n");
        for (int i = 0; i < cases.Length; i++)
        {
            source.Append(CultureInfo.InvariantCulture, $"    [CircuitBreaker(\"b{i}\", {cases[i].Setting.Argument} = {cases[i].Literal})] public partial Task<int> M{i}(CancellationToken ct);\n");
            source.Append(CultureInfo.InvariantCulture, $"    private Task<int> M{i}Core(CancellationToken ct) => Task.FromResult({i});\n");
        }

        source.Append("}\n");
        Compilation compilation = GeneratorHarness.Run(GeneratorHarness.CompileShape(source.ToString())).Output;
        ImmutableArray<Diagnostic> diagnostics = await compilation
            .WithAnalyzers([new GuardedMethodAnalyzer()])
            .GetAnalyzerDiagnosticsAsync(CancellationToken.None);
        var byMethod = diagnostics.ToDictionary(MethodOf);
        Assert.All(diagnostics, static d => Assert.Equal("BRK0018", d.Id));

        for (int i = 0; i < cases.Length; i++)
        {
            (SettingDefinition setting, string literal, double value) = cases[i];
            string what = $"{setting.Argument} = {literal}";
            ArgumentOutOfRangeException? runtime = Validate(setting, value);
            byMethod.TryGetValue($"M{i}", out Diagnostic? compileTime);
            Assert.True((runtime is null) == (compileTime is null), $"{what}: Validate says {runtime?.Message ?? "fine"}; the analyzer says {compileTime?.GetMessage(CultureInfo.InvariantCulture) ?? "fine"}");
            if (runtime is null || compileTime is null)
            {
                continue;
            }

            // "{argument} = {value} is out of range: it {rule}" against "{option} {rule} (was {value}). (Parameter '{option}')".
            string message = compileTime.GetMessage(CultureInfo.InvariantCulture);
            string argument = message[..message.IndexOf(" = ", StringComparison.Ordinal)];
            string compileRule = message[(message.IndexOf(": it ", StringComparison.Ordinal) + 5)..];
            string option = runtime.ParamName!;
            string runtimeRule = runtime.Message[(option.Length + 1)..runtime.Message.IndexOf(" (was ", StringComparison.Ordinal)];
            if (argument == "MinimumThroughput" && option == "SlidingWindowSize")
            {
                // Only MinimumThroughput is written out, so the analyzer says the same rule of it rather than of the window.
                Assert.Equal(BreakerLimits.ThroughputFitsWindow(value, BreakerDefaults.SlidingWindowSize), compileRule);
                Assert.Equal(BreakerLimits.WindowHoldsThroughput(BreakerDefaults.SlidingWindowSize, value), runtimeRule);
                continue;
            }

            Assert.Equal((what, setting.Argument, setting.Property), (what, argument, option));
            Assert.Equal((what, runtimeRule), (what, compileRule));
        }
    }

    [Fact]
    public void The_attribute_cannot_state_a_timeout_past_the_limit_and_the_shared_rule_refuses_one()
    {
        SettingDefinition timeout = AttributeReader.Settings.Single(static s => s.Argument == "TimeoutMs");

        // TimeoutMs is an int: its largest value (about 24.8 days) is within what a CancellationTokenSource accepts.
        Assert.True(int.MaxValue < BreakerLimits.MaxTimeoutMs);
        Assert.Null(timeout.Rule(int.MaxValue));
        Assert.Null(timeout.Rule(BreakerLimits.MaxTimeoutMs));

        string? rule = timeout.Rule(BreakerLimits.MaxTimeoutMs + 1);
        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(
            () => new CircuitBreakerOptions { Timeout = CircuitBreakerOptions.MaxTimeout + TimeSpan.FromMilliseconds(1) }.Validate());
        Assert.Equal("Timeout", error.ParamName);
        Assert.StartsWith("Timeout " + rule + " (was ", error.Message, StringComparison.Ordinal);
    }

    private static IEnumerable<(string Literal, double Value)> Candidates(BreakerOptionKind kind) => kind switch
    {
        BreakerOptionKind.Ratio =>
        [
            ("double.NaN", double.NaN), ("double.NegativeInfinity", double.NegativeInfinity), ("-0.1", -0.1), ("0", 0), ("1E-9", 1e-9),
            ("0.5", 0.5), ("1", 1), ("1.0000001", 1.0000001), ("double.PositiveInfinity", double.PositiveInfinity),
        ],
        BreakerOptionKind.Integer =>
        [
            ("int.MinValue", int.MinValue), ("-1", -1), ("0", 0), ("1", 1), ("9", 9), ("10", 10), ("100", 100), ("101", 101),
            ("1_000_000", 1_000_000), ("1_000_001", 1_000_001), ("int.MaxValue", int.MaxValue),
        ],
        _ => [("int.MinValue", int.MinValue), ("-1", -1), ("0", 0), ("1", 1), ("60_000", 60_000), ("int.MaxValue", int.MaxValue)],
    };

    private static double OptionValue(CircuitBreakerOptions options, SettingDefinition setting)
    {
        object value = typeof(CircuitBreakerOptions).GetProperty(setting.Property)!.GetValue(options)!;
        return value is TimeSpan duration ? duration.TotalMilliseconds : Convert.ToDouble(value, CultureInfo.InvariantCulture);
    }

    private static ArgumentOutOfRangeException? Validate(SettingDefinition setting, double value)
    {
        var options = new CircuitBreakerOptions();
        PropertyInfo property = typeof(CircuitBreakerOptions).GetProperty(setting.Property)!;
        property.SetValue(options, setting.Kind switch
        {
            BreakerOptionKind.Integer => (object)(int)value,
            BreakerOptionKind.Milliseconds => TimeSpan.FromMilliseconds(value),
            _ => value,
        });
        try
        {
            options.Validate();
            return null;
        }
        catch (ArgumentOutOfRangeException error)
        {
            return error;
        }
    }

    private static string MethodOf(Diagnostic diagnostic) =>
        diagnostic.Location.SourceTree!.GetRoot().FindNode(diagnostic.Location.SourceSpan)
            .AncestorsAndSelf().OfType<MethodDeclarationSyntax>().First().Identifier.Text;
}
