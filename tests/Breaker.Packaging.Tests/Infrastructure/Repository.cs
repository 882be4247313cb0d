using System;
using System.IO;

namespace Breaker.Packaging.Tests.Infrastructure;

/// <summary>Paths in the repository these tests build from.</summary>
public static class Repository
{
    /// <summary>The folder holding Generator.sln, found upwards from the test assembly.</summary>
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relativePath) => Path.Combine(Root, relativePath.Replace('/', Path.DirectorySeparatorChar));

    private static string FindRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Generator.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Generator.sln above {AppContext.BaseDirectory}.");
    }
}
