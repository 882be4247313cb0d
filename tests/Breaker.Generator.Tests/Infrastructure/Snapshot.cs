using System;
using System.IO;
using System.Runtime.CompilerServices;

namespace Breaker.Generator.Tests.Infrastructure;

/// <summary>
/// Compares text with a checked-in expected file in Snapshots/. With BREAKER_UPDATE_SNAPSHOTS=1 it rewrites the file
/// instead; a missing file is written and the test fails, so a new snapshot is always reviewed before it is committed.
/// </summary>
public static class Snapshot
{
    public const string UpdateVariable = "BREAKER_UPDATE_SNAPSHOTS";

    public static void Match(string name, string actual, [CallerFilePath] string callerPath = "")
    {
        string directory = Path.Combine(Path.GetDirectoryName(callerPath)!, "Snapshots");
        string path = Path.Combine(directory, name + ".verified.cs");
        actual = actual.Replace("\r\n", "\n");
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(path, actual);
            return;
        }

        if (!File.Exists(path))
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(path, actual);
            Assert.Fail($"No snapshot existed; wrote {path}. Review it, then run again.");
        }

        string expected = File.ReadAllText(path).Replace("\r\n", "\n");
        Assert.Equal(expected, actual);
    }
}
