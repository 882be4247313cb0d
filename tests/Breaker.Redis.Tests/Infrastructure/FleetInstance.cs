using System;
using System.Diagnostics;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace Breaker.Redis.Tests.Infrastructure;

/// <summary>One simulated instance of the service: its own registry, its own Redis connection and coordinator (unless local-only).</summary>
public sealed class FleetInstance : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly Uri _address;
    private long _maxCallTicks;

    internal FleetInstance(string name, CircuitBreakerRegistry registry, HttpClient http, Uri address, ConnectionMultiplexer? connection, RedisFleetCoordinator? coordinator)
    {
        Name = name;
        Registry = registry;
        Breaker = registry.GetOrAdd(TestFleet.BreakerName, TestFleet.BreakerDefaults);
        _http = http;
        _address = address;
        Connection = connection;
        Coordinator = coordinator;
    }

    public string Name { get; }

    public CircuitBreakerRegistry Registry { get; }

    public CircuitBreaker Breaker { get; }

    public ConnectionMultiplexer? Connection { get; }

    public RedisFleetCoordinator? Coordinator { get; }

    public int Succeeded { get; private set; }

    public int Failed { get; private set; }

    public int Rejected { get; private set; }

    /// <summary>The longest any call took, in real time (a bound on a hang, not a timing assertion).</summary>
    public TimeSpan LongestCall => TimeSpan.FromTicks(Interlocked.Read(ref _maxCallTicks));

    /// <summary>One call to the dependency through the breaker, as generated code would make it. Anything but a failure or a rejection escapes.</summary>
    public async Task CallAsync()
    {
        var clock = Stopwatch.StartNew();
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
        finally
        {
            long ticks = clock.Elapsed.Ticks;
            if (ticks > _maxCallTicks)
            {
                Interlocked.Exchange(ref _maxCallTicks, ticks);
            }
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
