using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Breaker.Generator.Model;
using Breaker.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Breaker.Generator.Tests;

/// <summary>No Roslyn object may survive in a pipeline model: it would defeat caching and keep compilations alive.</summary>
public class ModelPurityTests
{
    private static readonly Type[] Forbidden = [typeof(ISymbol), typeof(SyntaxNode), typeof(Location), typeof(SemanticModel), typeof(Compilation), typeof(SyntaxTree)];

    [Fact]
    public void Every_model_object_of_every_shape_holds_only_plain_values()
    {
        var models = Shapes.Supported.Values
            .SelectMany(source => GeneratorHarness.Models(GeneratorHarness.Run(GeneratorHarness.CompileShape(source)).Result))
            .ToList();

        Assert.True(models.Count >= Shapes.Supported.Count);
        var visited = new List<object>();
        foreach (GuardedMethodModel? model in models)
        {
            Walk(model, "model", visited);
        }

        Assert.Contains(visited, o => o is FallbackCaseModel);
        Assert.Contains(visited, o => o is ParameterModel);
    }

    [Fact]
    public void The_collected_declarations_hold_only_plain_values()
    {
        var declarations = Shapes.Supported.Values
            .SelectMany(source => GeneratorHarness.Declarations(GeneratorHarness.Run(GeneratorHarness.CompileShape(source)).Result))
            .ToList();

        Assert.True(declarations.Count >= Shapes.Supported.Count);
        var visited = new List<object>();
        foreach (BreakerDeclarationModel declaration in declarations)
        {
            Walk(declaration, "declaration", visited);
        }

        Assert.Contains(visited, o => o is BreakerOptionModel);
    }

    [Fact]
    public void Model_types_declare_only_strings_numbers_enums_and_equatable_arrays_of_model_types()
    {
        var modelTypes = typeof(GuardedMethodModel).Assembly.GetTypes().Where(t => t.Namespace == typeof(GuardedMethodModel).Namespace && !t.IsEnum && !t.IsAbstract).ToList();
        foreach (Type? type in modelTypes.Where(t => t.Name.EndsWith("Model", StringComparison.Ordinal)))
        {
            foreach (PropertyInfo? property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.Name != "EqualityContract"))
            {
                Assert.True(IsPlain(property.PropertyType), $"{type.Name}.{property.Name} is a {property.PropertyType}");
            }
        }
    }

    private static bool IsPlain(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string) || type.IsPrimitive || type.IsEnum)
        {
            return true;
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(EquatableArray<>))
        {
            return IsPlain(type.GetGenericArguments()[0]);
        }

        return type.Namespace == typeof(GuardedMethodModel).Namespace && type.Name.EndsWith("Model", StringComparison.Ordinal);
    }

    internal static void Walk(object? value, string path, List<object> visited)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum)
        {
            return;
        }

        Assert.False(Forbidden.Any(f => f.IsInstanceOfType(value)), $"{path} holds a {value.GetType()}");
        visited.Add(value);
        if (value is IEnumerable items)
        {
            int index = 0;
            foreach (object? item in items)
            {
                Walk(item, $"{path}[{index++}]", visited);
            }

            return;
        }

        foreach (PropertyInfo? property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract"))
        {
            Walk(property.GetValue(value), path + "." + property.Name, visited);
        }
    }
}
