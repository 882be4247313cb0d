using System.Threading.Tasks;
using Breaker.Samples.Refit;

namespace Breaker.Refit.Tests;

/// <summary>The sample's Kestrel server on 127.0.0.1, started once per test class that takes it as a class fixture.</summary>
public sealed class SampleServerFixture : IAsyncLifetime
{
    public SampleServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await SampleServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
