using System.Linq;
using Breaker.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Breaker.Generator.Parsing;

/// <summary>Reads a compilation's <see cref="TargetModel"/>; the generator and the analyzer (BRK0032) share it.</summary>
internal static class TargetReader
{
    /// <summary>The C# version generated code needs: partial methods with a return type came in C# 9.</summary>
    public const LanguageVersion RequiredLanguageVersion = LanguageVersion.CSharp9;

    /// <summary>Whether the project's C# version can compile generated code.</summary>
    public static bool IsLanguageSupported(Compilation compilation) =>
        compilation is CSharpCompilation { LanguageVersion: >= RequiredLanguageVersion };

    /// <summary>What <paramref name="compilation"/> can compile.</summary>
    public static TargetModel Read(Compilation compilation)
    {
        INamedTypeSymbol? task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
        INamedTypeSymbol? valueTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask");
        INamedTypeSymbol? tokenSource = compilation.GetTypeByMetadataName("System.Threading.CancellationTokenSource");
        INamedTypeSymbol? moduleInitializer = compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.ModuleInitializerAttribute");
        return new TargetModel(
            IsLanguageSupported(compilation),
            task is not null && !task.GetMembers("IsCompletedSuccessfully").IsEmpty,
            tokenSource is not null && tokenSource.InstanceConstructors.Any(c => c.Parameters.Length == 2 && c.Parameters[1].Type.Name == "TimeProvider"),
            valueTask is not null && !valueTask.GetMembers("FromException").IsEmpty,
            moduleInitializer is not null && compilation.IsSymbolAccessibleWithin(moduleInitializer, compilation.Assembly));
    }
}
