using System;
using System.Net.Http;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace Breaker.Redis.Tests.Infrastructure;

/// <summary>One simulated instance of the service: its own registry, its own Redis connection and coordinator (unless local-only).</summary>
public sealed class FleetInstance : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly Uri _address;

    internal FleetInstance(
        string name,
        CircuitBreakerRegistry registry,
        HttpClient http,
        Uri address,
        ConnectionMultiplexer? connection,
        ObservedConnection? observed,
        RedisFleetCoordinator? coordinator)
    {
        Name = name;
        Registry = registry;
        Breaker = registry.GetOrAdd(TestFleet.BreakerName, TestFleet.BreakerDefaults);
        _http = http;
        _address = address;
        Connection = connection;
        Observed = observed;
        Coordinator = coordinator;
    }

    public string Name { get; }

    public CircuitBreakerRegistry Registry { get; }

    public CircuitBreaker Breaker { get; }

    public ConnectionMultiplexer? Connection { get; }

    /// <summary>What the coordinator sees of <see cref="Connection"/>: it tells whether a call ever asked for Redis.</summary>
    public ObservedConnection? Observed { get; }

    public RedisFleetCoordinator? Coordinator { get; }

    public int Succeeded { get; private set; }

    public int Failed { get; private set; }

    public int Rejected { get; private set; }

    /// <summary>What a rejected caller is told to wait (<see cref="BrokenCircuitException.RetryAfter"/>): zero unless open.</summary>
    public TimeSpan RetryAfter => Breaker.GetMetrics().RetryAfter ?? TimeSpan.Zero;

    /// <summary>This instance's side of fleet coordination (its breaker's coordinator).</summary>
    internal Breaker.Fleet.BreakerParticipant Participant => (Breaker.Fleet.BreakerParticipant)Breaker.Coordinator!;

    /// <summary>One call to the dependency through the breaker, as generated code would make it. Anything but a failure or a rejection escapes.</summary>
    public async Task CallAsync()
    {
        ObservedConnection.EnterCall();
        try
        {
            await Breaker.ExecuteAsync(
                static async (self, ct) =>
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, self._address);
                    request.Headers.Add("X-Instance", self.Name);
                    using HttpResponseMessage response = await self._http.SendAsync(request, ct);
                    response.EnsureSuccessStatusCode();
                },
                this);
            Succeeded++;
        }
        catch (BrokenCircuitException)
        {
            Rejected++;
        }
        catch (HttpRequestException)
        {
            Failed++;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Coordinator is not null)
        {
            await Coordinator.StopAsync();
        }

        if (Connection is not null)
        {
            await Connection.DisposeAsync();
        }
    }
}
