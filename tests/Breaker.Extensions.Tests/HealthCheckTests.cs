using System;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Extensions.Tests;

public sealed class HealthCheckTests
{
    private readonly CircuitBreakerRegistry _registry = new(new FakeTimeProvider());

    [Fact]
    public async Task Healthy_when_every_breaker_is_closed_with_each_state_in_the_data()
    {
        _registry.GetOrAdd("alpha");
        _registry.GetOrAdd("beta").SetMetricsOnly(true);

        HealthReportEntry entry = await CheckAsync();

        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Equal("Closed", entry.Data["alpha"]);
        Assert.Equal("MetricsOnly", entry.Data["beta"]);
    }

    [Theory]
    [InlineData(CircuitState.Open)]
    [InlineData(CircuitState.HalfOpen)]
    [InlineData(CircuitState.Isolated)]
    public async Task Degraded_when_any_breaker_is_not_closed(CircuitState state)
    {
        _registry.GetOrAdd("fine");
        CircuitBreaker troubled = _registry.GetOrAdd("troubled", static o => o.ConsecutiveFailureThreshold = 1);
        MoveTo(troubled, state);

        HealthReportEntry entry = await CheckAsync();

        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Equal("Closed", entry.Data["fine"]);
        Assert.Equal(state.ToString(), entry.Data["troubled"]);
        Assert.Contains($"troubled ({state})", entry.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_failure_status_can_be_raised_to_unhealthy()
    {
        _registry.GetOrAdd("held").Isolate();

        HealthReportEntry entry = await CheckAsync(HealthStatus.Unhealthy);

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
    }

    private void MoveTo(CircuitBreaker breaker, CircuitState state)
    {
        if (state == CircuitState.Isolated)
        {
            breaker.Isolate();
            return;
        }

        breaker.TryAcquire().RecordFailure(new InvalidOperationException());
        if (state == CircuitState.HalfOpen)
        {
            ((FakeTimeProvider)breaker.TimeProvider).Advance(breaker.Options.BreakDuration);
        }

        Assert.Equal(state, breaker.State);
    }

    private async Task<HealthReportEntry> CheckAsync(HealthStatus? failureStatus = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(_registry);
        services.AddHealthChecks().AddCircuitBreakers(failureStatus: failureStatus);
        await using ServiceProvider provider = services.BuildServiceProvider();
        HealthReport report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        return report.Entries["circuit-breakers"];
    }
}
