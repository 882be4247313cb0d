using System;
using System.Threading.Tasks;
using Breaker.Samples.Console.Services;
using Breaker.Testing;

namespace Breaker.Samples.Console.Tests;

/// <summary>
/// Proof that tests running at the same time do not share the "forecast" breaker: two test classes (which xUnit runs in
/// parallel) trip it in turns. The first fails three calls, the second then opens its own with six failures, and the first's
/// next three calls must still reach the service: with one shared breaker they would be rejected. The handshake waits (up
/// to a generous ceiling) for the other class, so these two run together (xunit.runner.json's aggressive algorithm starts
/// every class at once, whatever the number of cores).
/// </summary>
internal static class Handshake
{
    public static readonly TimeSpan Ceiling = TimeSpan.FromSeconds(60);
    public static readonly TaskCompletionSource FirstHalfway = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public static readonly TaskCompletionSource SecondOpen = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task WaitAsync(TaskCompletionSource signal, string forWhat)
    {
        try
        {
            await signal.Task.WaitAsync(Ceiling);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The other test class never {forWhat}: run {nameof(ForecastTrippedFirst)} and {nameof(ForecastTrippedSecond)} together.");
        }
    }
}

public sealed class ForecastTrippedFirst : IDisposable
{
    private readonly BreakerTestScope _breakers = new();

    public void Dispose() => _breakers.Dispose();

    [Fact]
    public async Task Another_test_opening_its_forecast_breaker_leaves_this_ones_closed()
    {
        var service = new ForecastService(new Random(1)) { FailureRate = 1 };
        try
        {
            for (int i = 0; i < 3; i++)
            {
                service.GetForecast("Oslo");
            }
        }
        finally
        {
            // Released whatever happens here, so a failure of this test never holds the other one up.
            Handshake.FirstHalfway.TrySetResult();
        }

        await Handshake.WaitAsync(Handshake.SecondOpen, "opened its breaker");

        ScopedBreaker forecast = _breakers.Breaker("forecast");
        forecast.AssertState(CircuitState.Closed);
        for (int i = 0; i < 3; i++)
        {
            service.GetForecast("Oslo");
        }

        Assert.Equal(6, service.Received);
        forecast.AssertTransitions(CircuitState.Open);
        forecast.AssertCalls(failures: 6, rejections: 0);
    }
}

public sealed class ForecastTrippedSecond : IDisposable
{
    private readonly BreakerTestScope _breakers = new();

    public void Dispose() => _breakers.Dispose();

    [Fact]
    public async Task Opening_this_tests_forecast_breaker_is_not_seen_by_another_test_halfway_there()
    {
        var service = new ForecastService(new Random(2)) { FailureRate = 1 };
        await Handshake.WaitAsync(Handshake.FirstHalfway, "failed its first calls");

        try
        {
            for (int i = 0; i < 7; i++)
            {
                service.GetForecast("Lima");
            }
        }
        finally
        {
            Handshake.SecondOpen.TrySetResult();
        }

        Assert.Equal(6, service.Received);
        ScopedBreaker forecast = _breakers.Breaker("forecast");
        forecast.AssertTransitions(CircuitState.Open);
        forecast.AssertCalls(failures: 6, rejections: 1, fallbacks: 7);
    }
}
