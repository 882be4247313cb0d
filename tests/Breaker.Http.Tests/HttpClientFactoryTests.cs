using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Http.Tests;

public sealed class HttpClientFactoryTests(FaultServer server) : IClassFixture<FaultServer>
{
    private readonly CircuitBreakerRegistry _registry = new(new FakeTimeProvider());

    [Fact]
    public async Task AddCircuitBreaker_guards_every_client_of_that_name_with_one_breaker_from_the_registry()
    {
        const string key = "factory";
        await using ServiceProvider services = Services(s => s.AddHttpClient("downstream", c => c.BaseAddress = server.BaseAddress)
            .AddCircuitBreaker(key, o => o.ConsecutiveFailureThreshold = 2));
        IHttpClientFactory factory = services.GetRequiredService<IHttpClientFactory>();

        (await factory.CreateClient("downstream").GetAsync($"{key}/status/500")).Dispose();
        (await factory.CreateClient("downstream").GetAsync($"{key}/status/500")).Dispose();
        await Assert.ThrowsAsync<BrokenCircuitException>(() => factory.CreateClient("downstream").GetAsync($"{key}/status/200"));

        Assert.True(_registry.TryGet(key, out CircuitBreaker? breaker));
        Assert.Equal(CircuitState.Open, breaker.State);
        Assert.Equal(2, server.Hits(key));
    }

    [Fact]
    public async Task A_typed_client_gets_the_breaker_and_its_fallback_response()
    {
        const string key = "typed";
        await using ServiceProvider services = Services(s => s.AddHttpClient<CircuitBreakerJsonClient>(c => c.BaseAddress = server.BaseAddress)
            .AddCircuitBreaker(key, null, h => h.FallbackResponse = static (_, _) => new HttpResponseMessage(System.Net.HttpStatusCode.NoContent)));
        CircuitBreakerJsonClient client = services.GetRequiredService<CircuitBreakerJsonClient>();

        Assert.Equal(new Item(1, "item 1"), await client.GetAsync($"{key}/items/1", TestJson.Default.Item));
        Assert.True(_registry.TryGet(key, out CircuitBreaker? breaker));
        breaker.Isolate();
        Assert.Null(await client.GetAsync($"{key}/items/1", TestJson.Default.Item));
        Assert.Equal(1, server.Hits(key));
    }

    [Fact]
    public async Task Per_host_breakers_keep_a_dead_host_from_breaking_a_live_one_and_follow_the_base_names_configuration()
    {
        const string key = "per-host";
        var deadHost = new Uri($"http://127.0.0.1:{server.RefusingPort}/");
        IConfiguration configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["CircuitBreakers:per-host:ConsecutiveFailureThreshold"] = "1" })
            .Build();
        await using ServiceProvider services = Services(s =>
        {
            s.AddCircuitBreakers(configuration.GetSection("CircuitBreakers"));
            s.AddHttpClient("hosts").AddCircuitBreaker(key, o => o.ConsecutiveFailureThreshold = 5, h => h.PerHost = true);
        });
        await StartAsync(services);
        HttpClient client = services.GetRequiredService<IHttpClientFactory>().CreateClient("hosts");

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri(deadHost, "x")));
        await Assert.ThrowsAsync<BrokenCircuitException>(() => client.GetAsync(new Uri(deadHost, "x")));
        using HttpResponseMessage live = await client.GetAsync(new Uri(server.BaseAddress, $"{key}/status/200"));

        Assert.Equal(System.Net.HttpStatusCode.OK, live.StatusCode);
        Assert.True(_registry.TryGet($"{key}:{deadHost.Authority}", out CircuitBreaker? dead));
        Assert.True(_registry.TryGet($"{key}:{server.BaseAddress.Authority}", out CircuitBreaker? alive));
        Assert.Equal(CircuitState.Open, dead.State);
        Assert.Equal(1, dead.Options.ConsecutiveFailureThreshold);
        Assert.Equal(CircuitState.Closed, alive.State);
        Assert.False(_registry.TryGet(key, out _));

        // Per-host breakers are a keyed group (made from input): fleet coordination leaves them out unless listed.
        Assert.Equal((key, key), (dead.Group, alive.Group));
        Assert.True(_registry.TryGetGroup(key, out CircuitBreakerGroup? group));
        Assert.Equal(2, group.Count);
    }

    [Fact]
    public async Task One_host_has_one_breaker_whatever_its_trailing_dot_case_or_default_port()
    {
        const string key = "per-host-normalized";
        await using ServiceProvider services = Services(s => s.AddHttpClient("normalized").AddCircuitBreaker(key, null, h => h.PerHost = true));
        await StartAsync(services);
        HttpClient client = services.GetRequiredService<IHttpClientFactory>().CreateClient("normalized");
        Assert.True(_registry.TryGetGroup(key, out _));
        CircuitBreakerKeys<string> hosts = _registry.GetOrAddGroup<string>(key);
        hosts.GetBreaker("pay.example").Isolate();
        hosts.GetBreaker("pay.example:8443").Isolate();

        // Every spelling of the host is rejected by its one open breaker: none reaches the network.
        foreach (string url in new[] { "https://pay.example./", "https://PAY.example:443/x", "http://pay.example:80/", "https://pay.example.:8443/" })
        {
            await Assert.ThrowsAsync<BrokenCircuitException>(() => client.GetAsync(new Uri(url)));
        }

        Assert.Equal([$"{key}:pay.example", $"{key}:pay.example:8443"], hosts.Group.GetBreakers().Select(static b => b.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Per_host_breakers_are_bounded_a_host_past_MaxKeys_shares_the_groups_breaker()
    {
        const string key = "per-host-bounded";
        IConfiguration configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["CircuitBreakers:per-host-bounded:MaxKeys"] = "1" })
            .Build();
        await using ServiceProvider services = Services(s =>
        {
            s.AddCircuitBreakers(configuration.GetSection("CircuitBreakers"));
            s.AddHttpClient("bounded").AddCircuitBreaker(key, null, h => h.PerHost = true);
        });
        await StartAsync(services);
        HttpClient client = services.GetRequiredService<IHttpClientFactory>().CreateClient("bounded");

        using HttpResponseMessage live = await client.GetAsync(new Uri(server.BaseAddress, $"{key}/status/200"));
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri($"http://127.0.0.1:{server.RefusingPort}/x")));

        Assert.True(_registry.TryGetGroup(key, out CircuitBreakerGroup? group));
        Assert.Equal(1, group.Count);
        Assert.Equal($"{key}:*", group.SharedBreaker?.Name);
        Assert.Equal(1, group.SharedBreaker!.GetMetrics().FailedCalls);
        Assert.Equal([$"{key}:*", $"{key}:{server.BaseAddress.Authority}"], _registry.Select(static b => b.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_per_host_breaker_is_named_after_the_host_and_port_never_the_user_info_or_query()
    {
        const string key = "per-host-names";
        await using ServiceProvider services = Services(s => s.AddHttpClient("named").AddCircuitBreaker(key, null, h => h.PerHost = true));
        HttpClient client = services.GetRequiredService<IHttpClientFactory>().CreateClient("named");
        Uri target = new UriBuilder(new Uri(server.BaseAddress, $"{key}/status/200")) { UserName = "alice", Password = "hunter2", Query = "apiKey=SECRET" }.Uri;

        using HttpResponseMessage response = await client.GetAsync(target);

        CircuitBreaker breaker = Assert.Single(_registry);
        Assert.Equal($"{key}:127.0.0.1:{server.BaseAddress.Port}", breaker.Name);
    }

    [Fact]
    public async Task Hostile_hosts_answering_503_with_Retry_After_1800_cannot_keep_a_new_host_from_its_dependency_past_the_configured_break()
    {
        // Issue 26, finding 7: hosts the attacker controls answer 503 with Retry-After: 1800, and the attacker makes the
        // process call each of them every ten seconds (never idle); one more of them than the group holds keeps the shared
        // breaker failing too. Every host name connects to the fault server on 127.0.0.1: the hosts differ by name only.
        const string key = "per-host-attack";
        int port = server.BaseAddress.Port;
        var time = new FakeTimeProvider();
        var registry = new CircuitBreakerRegistry(time);
        var services = new ServiceCollection();
        services.AddSingleton(registry);
        services.AddHttpClient("attacked")
            .AddCircuitBreaker(key, static o => { o.ConsecutiveFailureThreshold = 1; o.BreakDuration = TimeSpan.FromSeconds(30); o.MaxKeys = 3; }, static h => h.PerHost = true)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { ConnectCallback = (_, ct) => ToServer(ct) });
        await using ServiceProvider provider = services.BuildServiceProvider();
        HttpClient client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("attacked");

        TimeSpan? firstServed = null;
        int served = 0, refusedAfterServed = 0;
        for (TimeSpan elapsed = TimeSpan.Zero; elapsed <= TimeSpan.FromMinutes(10); elapsed += TimeSpan.FromSeconds(10))
        {
            for (int evil = 1; evil <= 4; evil++)
            {
                try
                {
                    (await client.GetAsync(new Uri($"http://evil-{evil}.test:{port}/{key}-evil/retry-after/503?value=1800"))).Dispose();
                }
                catch (BrokenCircuitException)
                {
                }
            }

            try
            {
                using HttpResponseMessage response = await client.GetAsync(new Uri($"http://victim.test:{port}/{key}/status/200"));
                Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
                served++;
                firstServed ??= elapsed;
            }
            catch (BrokenCircuitException) when (firstServed is not null)
            {
                refusedAfterServed++;
            }
            catch (BrokenCircuitException)
            {
            }

            time.Advance(TimeSpan.FromSeconds(10));
        }

        // Served once the hostile breakers' own 30 s break is over, and from then on; before, never in the 10 minutes.
        Assert.Equal(TimeSpan.FromSeconds(30), firstServed);
        Assert.Equal(0, refusedAfterServed);
        Assert.Equal(served, server.Hits(key));

        async ValueTask<Stream> ToServer(CancellationToken cancellationToken)
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
    }

    /// <summary>What a host does when it starts: applies the configuration (and starts the state logging).</summary>
    private static async Task StartAsync(ServiceProvider services)
    {
        foreach (IHostedService hosted in services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(default);
        }
    }

    private ServiceProvider Services(Action<IServiceCollection> configure)
    {
        var services = new ServiceCollection();
        services.AddSingleton(_registry);
        configure(services);
        return services.BuildServiceProvider();
    }
}
