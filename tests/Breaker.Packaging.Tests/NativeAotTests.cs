using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Breaker.Packaging.Tests.Infrastructure;

namespace Breaker.Packaging.Tests;

/// <summary>
/// Publishes with NativeAOT into temporary folders (intermediate files too, through <c>--artifacts-path</c>, so nothing
/// races with builds of the repository) and runs the native binaries. The net10.0 publishes share their artifacts folder
/// (<see cref="SharedArtifacts"/>), so Breaker is compiled once for them, not once per app.
/// </summary>
[Collection(DotNetProcesses.Name)]
public sealed class NativeAotTests(SharedArtifacts net10Artifacts)
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(8);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task The_AOT_test_app_publishes_without_a_warning_and_every_library_works_natively()
    {
        using var work = new TemporaryDirectory("aot-test");
        string publish = work.Combine("publish");

        ProcessResult published = (await DotNet.RunAsync(
            ["publish", Repository.PathOf("tests/Breaker.AotTest/Breaker.AotTest.csproj"), "-c", "Release", "-r", "linux-x64",
             "-o", publish, "--artifacts-path", net10Artifacts.Path],
            Repository.Root,
            PublishTimeout)).EnsureSucceeded();
        Assert.True(published.Warnings.Count == 0, "Trim/AOT warnings:\n" + string.Join('\n', published.Warnings));

        ProcessResult run = (await DotNet.RunProcessAsync(Path.Combine(publish, "Breaker.AotTest"), [], work.Path, RunTimeout)).EnsureSucceeded();
        Assert.Equal(
            """
            ok runtime: state=Closed rejected=True answer=42 opens=1
            ok generated: 10 -1
            ok extensions: configured FailureRatio=0.25
            ok http: 500 500 rejected:Open
            ok aspnetcore: monitor says aot-http is Open
            ok health: health Degraded

            """,
            run.Output);
    }

    [Theory]
    [InlineData("net10.0")]
    [InlineData("net8.0")]
    public async Task The_console_demo_publishes_without_a_warning_and_the_native_binary_runs_the_whole_demo(string target)
    {
        using var work = new TemporaryDirectory("aot-demo-" + target);
        string publish = work.Combine("publish");

        // .NET 8: the demo's BreakerTestOnNet8 switch (ILCompiler and the runtime packs for .NET 8 come from the package feed),
        // built in a folder of its own: the demo's single target puts both targets' objects in the same place.
        bool net8 = target == "net8.0";
        string[] targetSwitch = net8 ? ["-p:BreakerTestOnNet8=true"] : [];
        string artifacts = net8 ? work.Combine("artifacts") : net10Artifacts.Path;
        ProcessResult published = (await DotNet.RunAsync(
            ["publish", Repository.PathOf("samples/Breaker.Samples.Console/Breaker.Samples.Console.csproj"), "-c", "Release", "-r", "linux-x64",
             "-o", publish, "--artifacts-path", artifacts, .. targetSwitch],
            Repository.Root,
            PublishTimeout)).EnsureSucceeded();
        string assets = Directory.GetFiles(artifacts, "project.assets.json", SearchOption.AllDirectories)
            .Single(static f => f.Contains("Breaker.Samples.Console", StringComparison.Ordinal));
        Assert.Contains("\"Microsoft.DotNet.ILCompiler/" + (net8 ? "8." : "10."), File.ReadAllText(assets), StringComparison.Ordinal);
        Assert.True(published.Warnings.Count == 0, "Trim/AOT warnings:\n" + string.Join('\n', published.Warnings));
        Assert.Contains("Generating native code", published.Output, StringComparison.Ordinal);

        string binary = Path.Combine(publish, "Breaker.Samples.Console");
        ProcessResult first = (await DotNet.RunProcessAsync(binary, ["--seed", "7"], work.Path, RunTimeout)).EnsureSucceeded();
        ProcessResult second = (await DotNet.RunProcessAsync(binary, ["--seed", "7"], work.Path, RunTimeout)).EnsureSucceeded();

        Assert.StartsWith("Breaker demo (seed 7)\n", first.Output, StringComparison.Ordinal);
        foreach (string step in new[]
        {
            "1. Custom configuration", "2. Successful calls", "3. Failures trip the breaker", "4. Protection", "5. Recovery after the break",
            "6. Half-open recovery", "7. The decorated unreliable service with a fallback (generated code)",
            "8. One breaker per tenant (generated code, Key = nameof(tenant))",
            "9. A decorator for an interface the demo does not own (generated code)",
            "10. An HTTP client with a breaker against a flaky local server", "11. A server that answers 429 with Retry-After sets the break",
            "12. Registry summary", "13. A state-change listener, isolation and a reset", "14. Final metrics of every breaker",
        })
        {
            Assert.Contains("── " + step, first.Output, StringComparison.Ordinal);
        }

        // The keyed step: the failing tenant's circuit opens alone, and the others keep being served.
        Assert.Contains("catalog:globex is Open", first.Output, StringComparison.Ordinal);
        Assert.Contains("catalog:acme is Closed", first.Output, StringComparison.Ordinal);
        Assert.Contains("globex: catalog unavailable (circuit open: its backend was not called)", first.Output, StringComparison.Ordinal);

        // The decorator step: the generated decorator of an interface the sample does not own opens, rejects, then closes.
        Assert.Contains("pickup rejected: circuit 'shipping' is open; the carrier was not called", first.Output, StringComparison.Ordinal);
        Assert.Contains("quote while open: 999 cents (the customised member's fallback)", first.Output, StringComparison.Ordinal);
        Assert.Contains("the carrier received 2 of 4 calls", first.Output, StringComparison.Ordinal);
        Assert.Contains("pickup booked: pickup-parcel-4", first.Output, StringComparison.Ordinal);

        // The HTTP step tells the three kinds of failure apart, and rejected requests never reach the server.
        Assert.Contains("(counted as an HTTP error)", first.Output, StringComparison.Ordinal);
        Assert.Contains("(counted as a timeout)", first.Output, StringComparison.Ordinal);
        Assert.Contains("(counted as a connection error)", first.Output, StringComparison.Ordinal);
        Assert.Contains("the server received 0 of those 3 requests", first.Output, StringComparison.Ordinal);

        // The 429's Retry-After (120 s), not the configured 15 s, is the break: 15 s later a rejection says what is left.
        Assert.Contains("rejected, circuit Open, retry after 105 s", first.Output, StringComparison.Ordinal);
        Assert.Contains("requests that reached the server: 2 of 3", first.Output, StringComparison.Ordinal);

        // The final table lists every breaker, the generated one included, all closed again.
        string finalMetrics = first.Output[first.Output.IndexOf("14. Final metrics of every breaker", StringComparison.Ordinal)..];
        Assert.Matches(@"\n\s+forecast\s+Closed\s+\d+", finalMetrics);
        Assert.Matches(@"\n\s+inventory\s+Closed\s+\d+", finalMetrics);
        Assert.Matches(@"\n\s+pricing-api\s+Closed\s+9\s+3\s+3\s+3\s+0\s+1\n", finalMetrics);
        Assert.Matches(@"\n\s+rates-api\s+Closed\s+3\s+1\s+1\s+1\s+0\s+1\n", finalMetrics);
        Assert.Matches(@"total calls: \d+\n$", finalMetrics);

        // --seed makes the run repeatable.
        Assert.Equal(first.Output, second.Output);
    }

    [Fact]
    public async Task The_web_sample_publishes_with_NativeAOT_without_a_warning()
    {
        using var work = new TemporaryDirectory("aot-web");
        string publish = work.Combine("publish");

        ProcessResult published = (await DotNet.RunAsync(
            ["publish", Repository.PathOf("samples/Breaker.Samples.Web/Breaker.Samples.Web.csproj"), "-c", "Release", "-r", "linux-x64",
             "-o", publish, "--artifacts-path", net10Artifacts.Path],
            Repository.Root,
            PublishTimeout)).EnsureSucceeded();
        Assert.True(published.Warnings.Count == 0, "Trim/AOT warnings:\n" + string.Join('\n', published.Warnings));
        Assert.Contains("Generating native code", published.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(publish, "Breaker.Samples.Web")), published.Output);
        Assert.True(File.Exists(Path.Combine(publish, "appsettings.json")), published.Output);
    }
}

/// <summary>
/// The tests that run <c>dotnet</c> as a child process go one at a time: each one alone keeps both cores busy, and the
/// NativeAOT publishes that share <see cref="SharedArtifacts"/> never build in it at the same time.
/// </summary>
[CollectionDefinition(Name)]
public sealed class DotNetProcesses : ICollectionFixture<SharedArtifacts>
{
    public const string Name = "dotnet child processes";
}
