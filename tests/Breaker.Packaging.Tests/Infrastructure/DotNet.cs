using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace Breaker.Packaging.Tests.Infrastructure;

/// <summary>What a child process printed (standard output and error, interleaved) and how it exited.</summary>
public sealed record ProcessResult(string CommandLine, int ExitCode, string Output)
{
    /// <summary>The MSBuild, compiler and ILC warnings in the output, such as <c>warning IL2026: ...</c>.</summary>
    public IReadOnlyList<string> Warnings =>
        Output.Split('\n').Where(static line => Regex.IsMatch(line, @"\bwarning\s+[A-Z]+[0-9]+\b", RegexOptions.IgnoreCase)).Select(static l => l.Trim()).ToArray();

    /// <summary>Fails the test with the whole output unless the process exited with 0.</summary>
    public ProcessResult EnsureSucceeded()
    {
        Assert.True(ExitCode == 0, $"`{CommandLine}` exited with {ExitCode}:\n{Output}");
        return this;
    }
}

/// <summary>Runs <c>dotnet</c> and the programs it builds as child processes, each bounded by a timeout.</summary>
public static class DotNet
{
    /// <summary>The <c>dotnet</c> executable that runs the tests, so a child uses the same SDK.</summary>
    public static string Executable { get; } = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)
        ? host
        : "dotnet";

    /// <summary>
    /// Runs <c>dotnet</c> with <paramref name="arguments"/>. Build servers are disabled, so no MSBuild node or compiler
    /// server outlives the command (and holds its output open), and the MSBuild variables of the test run are not inherited.
    /// </summary>
    public static Task<ProcessResult> RunAsync(
        IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
            ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
            ["MSBUILDDISABLENODEREUSE"] = "1",
            ["UseSharedCompilation"] = "false",
        };
        foreach (KeyValuePair<string, string> pair in environment ?? new Dictionary<string, string>())
        {
            env[pair.Key] = pair.Value;
        }

        return RunProcessAsync(Executable, arguments, workingDirectory, timeout, env);
    }

    /// <summary>Runs a program (such as a native binary just published) and captures what it prints.</summary>
    public static Task<ProcessResult> RunProcessAsync(
        string fileName, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (string name in start.Environment.Keys.Where(static k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToArray())
        {
            start.Environment.Remove(name);
        }

        foreach (KeyValuePair<string, string> pair in environment ?? new Dictionary<string, string>())
        {
            start.Environment[pair.Key] = pair.Value;
        }

        return RunAsync(start, timeout);
    }

    private static async Task<ProcessResult> RunAsync(ProcessStartInfo start, TimeSpan timeout)
    {
        string commandLine = string.Join(' ', new[] { Path.GetFileName(start.FileName) }.Concat(start.ArgumentList));
        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            Assert.Fail($"`{commandLine}` did not finish within {timeout.TotalSeconds:0} s and was stopped; it printed:\n{Snapshot(output)}");
        }

        return new ProcessResult(commandLine, process.ExitCode, Snapshot(output));
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.Append(line).Append('\n');
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
