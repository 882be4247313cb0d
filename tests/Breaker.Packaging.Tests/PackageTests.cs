using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Threading.Tasks;
using System.Xml.Linq;
using Breaker.Packaging.Tests.Infrastructure;

namespace Breaker.Packaging.Tests;

/// <summary>
/// Packs Breaker and its integration packages into a temporary folder with a version no cache can hold, then builds and
/// runs a project outside the repository that knows Breaker only from that folder.
/// </summary>
[Collection(DotNetProcesses.Name)]
public sealed class PackageTests
{
    // Only bounds a hang: packing seven projects takes minutes on a 2-core machine busy with the other test projects.
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(15);
    private static readonly string[] PackagedProjects =
        ["src/Breaker.Runtime/Breaker.Runtime.csproj", "src/Breaker.Extensions/Breaker.Extensions.csproj", "src/Breaker.Http/Breaker.Http.csproj", "src/Breaker.AspNetCore/Breaker.AspNetCore.csproj",
         "src/Breaker.Redis/Breaker.Redis.csproj", "src/Breaker.Testing/Breaker.Testing.csproj",
         "src/Breaker.Grpc/Breaker.Grpc.csproj"];

    [Fact]
    public async Task The_packages_hold_what_a_user_needs_and_a_project_that_never_saw_the_source_runs_the_generated_breaker()
    {
        using var work = new TemporaryDirectory("package");
        string version = $"0.1.0-test.{Guid.NewGuid():N}";
        string feed = work.Combine("feed");
        await PackAsync(work, feed, version);

        // Breaker: the runtime and the attributes in lib/ of each target, the generator in analyzers/, the README.
        string breaker = Path.Combine(feed, $"Breaker.{version}.nupkg");
        IReadOnlyCollection<string> files = EntriesOf(breaker);
        Assert.Contains("lib/net10.0/Breaker.Runtime.dll", files);
        Assert.Contains("lib/net10.0/Breaker.Runtime.xml", files);
        Assert.Contains("lib/net10.0/Breaker.Attributes.dll", files);
        Assert.Contains("lib/net10.0/Breaker.Attributes.xml", files);
        foreach (string target in new[] { "netstandard2.0", "net8.0" })
        {
            Assert.Contains($"lib/{target}/Breaker.Runtime.dll", files);
            Assert.Contains($"lib/{target}/Breaker.Attributes.dll", files);
        }

        Assert.Contains("analyzers/dotnet/cs/Breaker.Generator.dll", files);
        Assert.Contains("analyzers/dotnet/cs/Breaker.Generator.CodeFixes.dll", files);
        Assert.Contains("README.md", files);
        Assert.DoesNotContain(files, static f => f.StartsWith("lib/", StringComparison.Ordinal) && f.Contains("Generator", StringComparison.Ordinal));

        XElement metadata = NuspecOf(breaker);
        Assert.Equal("MIT", Element(metadata, "license").Value);
        Assert.Equal("expression", Element(metadata, "license").Attribute("type")?.Value);
        Assert.Equal("README.md", Element(metadata, "readme").Value);

        // Breaker.Attributes is inside, never a dependency. netstandard2.0 brings the compatibility packages it compiles
        // against; .NET 8+ brings the two that a netstandard2.0 library's generated code calls, as run-time assemblies only.
        XElement[] groups = Groups(metadata);
        Assert.Equal([".NETStandard2.0", "net10.0", "net8.0"], groups.Select(static g => (string)g.Attribute("targetFramework")!).OrderBy(static t => t, StringComparer.Ordinal));
        Assert.DoesNotContain(groups.SelectMany(Dependencies), static d => (string?)d.Attribute("id") is "Breaker.Attributes" or "Breaker.Generator");
        foreach (XElement group in groups)
        {
            bool netstandard = (string?)group.Attribute("targetFramework") == ".NETStandard2.0";
            foreach (string id in new[] { "Microsoft.Bcl.TimeProvider", "Microsoft.Bcl.AsyncInterfaces" })
            {
                XElement compatibility = Assert.Single(Dependencies(group), d => (string?)d.Attribute("id") == id);
                Assert.Equal(!netstandard, ((string?)compatibility.Attribute("exclude") ?? string.Empty).Contains("Compile", StringComparison.Ordinal));
            }
        }

        // The integration packages: their own assembly, depending on Breaker (generator included, not excluded) or on each other.
        foreach ((string id, string dependency) in new[] { ("Breaker.Extensions", "Breaker"), ("Breaker.Http", "Breaker.Extensions"), ("Breaker.AspNetCore", "Breaker"), ("Breaker.Redis", "Breaker.Extensions"), ("Breaker.Testing", "Breaker"),
            ("Breaker.Grpc", "Breaker.Extensions") })
        {
            // Once in each target's group.
            XElement[] packageGroups = Groups(NuspecOf(Path.Combine(feed, $"{id}.{version}.nupkg")));
            Assert.NotEmpty(packageGroups);
            foreach (XElement group in packageGroups)
            {
                XElement[] dependencies = Dependencies(group);
                XElement on = Assert.Single(dependencies, d => (string?)d.Attribute("id") == dependency);
                Assert.Equal(version, (string?)on.Attribute("version"));
                Assert.DoesNotContain("Analyzers", (string?)on.Attribute("exclude") ?? string.Empty, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(dependencies, static d => (string?)d.Attribute("id") is "Breaker.Attributes" or "Breaker.Generator");
            }
        }

        // Breaker.Testing hands its users a FakeTimeProvider: the package that has it comes along.
        Assert.Contains(
            NuspecOf(Path.Combine(feed, $"Breaker.Testing.{version}.nupkg")).Descendants(),
            static e => e.Name.LocalName == "dependency" && (string?)e.Attribute("id") == "Microsoft.Extensions.TimeProvider.Testing");

        foreach (string id in new[] { "Breaker.Extensions", "Breaker.Http", "Breaker.AspNetCore", "Breaker.Redis", "Breaker.Testing",
            "Breaker.Grpc" })
        {
            IReadOnlyCollection<string> entries = EntriesOf(Path.Combine(feed, $"{id}.{version}.nupkg"));
            Assert.Contains($"lib/net10.0/{id}.dll", entries);
            Assert.Contains($"lib/net10.0/{id}.xml", entries);
            Assert.DoesNotContain(entries, static e => e.EndsWith("Breaker.Runtime.dll", StringComparison.Ordinal) || e.EndsWith("Breaker.Attributes.dll", StringComparison.Ordinal));
        }

        // A consumer outside the repository, restoring Breaker from the feed alone into a packages folder of its own.
        string consumer = work.Combine("consumer");
        WriteConsumer(consumer, feed, version, packages: work.Combine("packages"));
        ProcessResult run = (await DotNet.RunAsync(["run", "-c", "Release"], consumer, CommandTimeout)).EnsureSucceeded();
        Assert.True(run.Warnings.Count == 0, "Warnings building the consumer:\n" + string.Join('\n', run.Warnings));
        Assert.EndsWith(
            """
            live: 5
            failure answered by the fallback: -1
            rejection answered by the fallback: -1
            rejection answered by the fallback: -1
            consumer-inventory: Open, 1 failed, 2 rejected, 3 fallbacks
            in a test scope: 5 (Closed, fallback Unknown)
            shared after the scope: Open, 2 rejected
            consumer-http guards the client: True

            """,
            run.Output);

        // The restore took Breaker from the feed, at the version just packed, into the consumer's own packages folder.
        Assert.True(Directory.Exists(Path.Combine(work.Combine("packages"), "breaker", version)), run.Output);
        Assert.False(File.Exists(Path.Combine(consumer, "bin", "Release", "net10.0", "Breaker.Generator.dll")), "The generator must not be copied next to the consumer's assemblies.");

        // A library author's case: a netstandard2.0 library (C# 9, the oldest the generated code takes) with a plain and a
        // keyed breaker, used by a .NET 8 app run on the real .NET 8 runtime (self-contained: the machine needs no .NET 8 install).
        string solution = work.Combine("netstandard");
        WriteNetStandardLibraryAndApp(solution, feed, version, packages: work.Combine("packages"));
        ProcessResult net8 = (await DotNet.RunAsync(["run", "-c", "Release", "-r", "linux-x64", "--self-contained"], Path.Combine(solution, "app"), CommandTimeout)).EnsureSucceeded();
        Assert.True(net8.Warnings.Count == 0, "Warnings building the library or the app:\n" + string.Join('\n', net8.Warnings));
        Assert.EndsWith(
            """
            price: 9.5
            down: -1
            down: -1
            down: -1
            calls that reached the quotes: 3
            ns-quotes: Open, 2 failed, 1 rejected, 3 fallbacks
            tenant a: 1
            sync failed for broken
            broken: rejected
            tenant a after: 1
            on .NET 8

            """,
            net8.Output);
    }

    private static async Task PackAsync(TemporaryDirectory work, string feed, string version)
    {
        // One solution file for the packages, so that one `dotnet pack` builds each project once. Without the analyzers
        // (source generators still run; the assemblies are the same): they check these sources in the solution's build,
        // where their warnings are errors, and would take a third of this build's CPU here to say it again.
        string solution = work.Combine("packages.slnx");
        File.WriteAllText(solution, new XElement("Solution", PackagedProjects.Select(static p => new XElement("Project", new XAttribute("Path", Repository.PathOf(p))))).ToString());
        (await DotNet.RunAsync(
            ["pack", solution, "-c", "Release", "-o", feed, "--artifacts-path", work.Combine("artifacts"), $"-p:Version={version}", "-p:RunAnalyzers=false"],
            Repository.Root,
            CommandTimeout)).EnsureSucceeded();
    }

    private static void WriteConsumer(string directory, string feed, string version, string packages)
    {
        WriteIsolation(directory, feed, packages);
        File.WriteAllText(Path.Combine(directory, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Breaker" Version="{version}" />
                <PackageReference Include="Breaker.Http" Version="{version}" />
                <PackageReference Include="Breaker.Testing" Version="{version}" />
              </ItemGroup>
            </Project>
            """);

        File.WriteAllText(Path.Combine(directory, "Program.cs"), """
            using Breaker;
            using Breaker.Testing;
            using Microsoft.Extensions.DependencyInjection;

            var inventory = new Inventory();
            Console.WriteLine($"live: {inventory.Stock("in-stock")}");
            for (int i = 0; i < 3; i++)
            {
                Console.WriteLine($"{inventory.LastOutcome(() => inventory.Stock("missing"))}");
            }

            CircuitBreakerMetrics m = CircuitBreakerRegistry.Default.TryGet("consumer-inventory", out CircuitBreaker? breaker)
                ? breaker.GetMetrics()
                : throw new InvalidOperationException("The generated code registered no breaker.");
            Console.WriteLine($"{m.Name}: {m.State}, {m.FailedCalls} failed, {m.RejectedCalls} rejected, {m.FallbackCalls} fallbacks");

            // Breaker.Testing: a scope of its own breakers, where the open shared breaker is a fresh one.
            using (var scope = new BreakerTestScope())
            {
                ScopedBreaker mine = scope.Breaker<Inventory>(nameof(Inventory.Stock));
                Console.WriteLine($"in a test scope: {inventory.Stock("in-stock")} ({mine.State}, fallback {BreakerDeclarations.For<Inventory>(nameof(Inventory.Stock)).Fallback})");
            }

            Console.WriteLine($"shared after the scope: {breaker.State}, {breaker.GetMetrics().RejectedCalls} rejected");

            var services = new ServiceCollection();
            services.AddHttpClient("inventory-api").AddCircuitBreaker("consumer-http");
            using ServiceProvider provider = services.BuildServiceProvider();
            provider.GetRequiredService<IHttpClientFactory>().CreateClient("inventory-api");
            Console.WriteLine($"consumer-http guards the client: {CircuitBreakerRegistry.Default.TryGet("consumer-http", out _)}");

            public partial class Inventory
            {
                private Exception? _lastError;

                [CircuitBreaker("consumer-inventory", Fallback = nameof(Unknown), MinimumThroughput = 2, FailureRatio = 0.5)]
                public partial int Stock(string sku);

                private int StockCore(string sku) => sku == "in-stock" ? 5 : throw new KeyNotFoundException(sku);

                private int Unknown(string sku, Exception error)
                {
                    _lastError = error;
                    return -1;
                }

                public string LastOutcome(Func<int> call)
                {
                    int answer = call();
                    string cause = _lastError is BrokenCircuitException ? "rejection" : "failure";
                    return $"{cause} answered by the fallback: {answer}";
                }
            }
            """);
    }

    /// <summary>A folder that knows nothing of the repository, restoring the packed version from the feed alone.</summary>
    private static void WriteIsolation(string directory, string feed, string packages)
    {
        Directory.CreateDirectory(directory);

        // Stop MSBuild's search for Directory.*.props/targets here: nothing of the repository or the machine applies.
        File.WriteAllText(Path.Combine(directory, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(directory, "Directory.Build.targets"), "<Project />");
        File.WriteAllText(Path.Combine(directory, "Directory.Packages.props"), "<Project />");

        // The feed is added to the machine's sources (which bring the framework's dependencies); the version just packed is on
        // the feed alone. Packages already on the machine are read from its global folder, through a fallback folder, never written there.
        string machinePackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.WriteAllText(Path.Combine(directory, "nuget.config"), new XElement("configuration",
            new XElement("config", new XElement("add", new XAttribute("key", "globalPackagesFolder"), new XAttribute("value", packages))),
            new XElement("packageSources", new XElement("add", new XAttribute("key", "breaker-test-feed"), new XAttribute("value", feed))),
            new XElement("fallbackPackageFolders", new XElement("add", new XAttribute("key", "machine"), new XAttribute("value", machinePackages)))).ToString());
    }

    private static void WriteNetStandardLibraryAndApp(string directory, string feed, string version, string packages)
    {
        WriteIsolation(directory, feed, packages);
        Directory.CreateDirectory(Path.Combine(directory, "lib"));
        Directory.CreateDirectory(Path.Combine(directory, "app"));
        File.WriteAllText(Path.Combine(directory, "lib", "Quotes.Library.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>netstandard2.0</TargetFramework>
                <LangVersion>9.0</LangVersion>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Breaker" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(directory, "lib", "QuoteClient.cs"), """
            using System;
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;
            using Breaker;

            namespace Quotes.Library
            {
                public partial class QuoteClient
                {
                    public int PriceCalls { get; private set; }

                    [CircuitBreaker("ns-quotes", ConsecutiveFailureThreshold = 2, TimeoutMs = 5_000, Fallback = nameof(Cached))]
                    public partial Task<decimal> PriceAsync(string sku, CancellationToken cancellationToken);

                    private Task<decimal> PriceAsyncCore(string sku, CancellationToken cancellationToken)
                    {
                        PriceCalls++;
                        return sku == "down" ? Task.FromException<decimal>(new IOException("quotes are down")) : Task.FromResult(9.5m);
                    }

                    private decimal Cached(string sku, CancellationToken cancellationToken, Exception error) => -1m;

                    [CircuitBreaker("ns-tenants", Key = nameof(tenant), ConsecutiveFailureThreshold = 1)]
                    public partial int Sync(string tenant);

                    private int SyncCore(string tenant) => tenant == "broken" ? throw new InvalidOperationException("sync failed for " + tenant) : tenant.Length;
                }
            }
            """);
        File.WriteAllText(Path.Combine(directory, "app", "Quotes.App.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net8.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="../lib/Quotes.Library.csproj" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(directory, "app", "Program.cs"), """
            using Breaker;
            using Quotes.Library;

            var client = new QuoteClient();
            Console.WriteLine($"price: {await client.PriceAsync("a", CancellationToken.None)}");
            for (int i = 0; i < 3; i++)
            {
                Console.WriteLine($"down: {await client.PriceAsync("down", CancellationToken.None)}");
            }

            Console.WriteLine($"calls that reached the quotes: {client.PriceCalls}");
            CircuitBreakerMetrics m = CircuitBreakerRegistry.Default.TryGet("ns-quotes", out CircuitBreaker? quotes)
                ? quotes.GetMetrics()
                : throw new InvalidOperationException("The generated code registered no breaker.");
            Console.WriteLine($"{m.Name}: {m.State}, {m.FailedCalls} failed, {m.RejectedCalls} rejected, {m.FallbackCalls} fallbacks");

            Console.WriteLine($"tenant a: {client.Sync("a")}");
            try
            {
                client.Sync("broken");
            }
            catch (InvalidOperationException error)
            {
                Console.WriteLine(error.Message);
            }

            try
            {
                client.Sync("broken");
            }
            catch (BrokenCircuitException)
            {
                Console.WriteLine("broken: rejected");
            }

            Console.WriteLine($"tenant a after: {client.Sync("a")}");
            Console.WriteLine($"on .NET {Environment.Version.Major}");
            """);
    }

    private static IReadOnlyCollection<string> EntriesOf(string package)
    {
        Assert.True(File.Exists(package), $"{Path.GetFileName(package)} was not packed; the feed holds: {string.Join(", ", Directory.GetFiles(Path.GetDirectoryName(package)!).Select(Path.GetFileName))}");
        using ZipArchive archive = ZipFile.OpenRead(package);
        return archive.Entries.Select(static e => e.FullName).ToArray();
    }

    private static XElement NuspecOf(string package)
    {
        using ZipArchive archive = ZipFile.OpenRead(package);
        ZipArchiveEntry nuspec = archive.Entries.Single(static e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal) && !e.FullName.Contains('/'));
        using Stream stream = nuspec.Open();
        return Element(XDocument.Load(stream).Root!, "metadata");
    }

    private static XElement[] Groups(XElement metadata) =>
        Element(metadata, "dependencies").Elements().Where(static e => e.Name.LocalName == "group").ToArray();

    private static XElement[] Dependencies(XElement group) =>
        group.Elements().Where(static e => e.Name.LocalName == "dependency").ToArray();

    private static XElement Element(XElement parent, string name) =>
        parent.Elements().SingleOrDefault(e => e.Name.LocalName == name) ?? throw new InvalidOperationException($"<{name}> is missing under <{parent.Name.LocalName}>.");
}
