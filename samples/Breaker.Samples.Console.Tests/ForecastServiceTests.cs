using System;
using Breaker.Samples.Console.Services;
using Breaker.Testing;

namespace Breaker.Samples.Console.Tests;

/// <summary>
/// The demo's forecast service, whose "forecast" breaker opens once half of at least 6 calls fail and stays open 20 s.
/// Each test has its own breakers on a fake clock (made in the constructor, ended by xUnit's Dispose), so the tests run in
/// parallel with each other and with the other classes, and move time without waiting.
/// </summary>
public sealed class ForecastServiceTests : IDisposable
{
    private readonly BreakerTestScope _breakers = new();
    private readonly ForecastService _service = new(new Random(7));

    public void Dispose() => _breakers.Dispose();

    private ScopedBreaker Forecast => _breakers.Breaker<ForecastService>(nameof(ForecastService.GetForecast));

    [Fact]
    public void A_failed_call_is_answered_by_yesterdays_forecast_and_counted()
    {
        _service.FailureRate = 1;

        Forecast forecast = _service.GetForecast("Oslo");

        Assert.True(forecast.FromFallback);
        Assert.Equal("yesterday's forecast (the weather station for Oslo did not answer)", forecast.Text);
        Forecast.AssertCalls(successes: 0, failures: 1, rejections: 0, fallbacks: 1);
        Assert.IsType<TimeoutException>(Assert.Single(Forecast.Failures).Exception);
        Forecast.AssertState(CircuitState.Closed);
    }

    [Fact]
    public void Six_failures_open_the_circuit_and_the_next_call_never_reaches_the_service()
    {
        _service.FailureRate = 1;
        for (int i = 0; i < 6; i++)
        {
            Assert.True(_service.GetForecast("Lima").FromFallback);
        }

        Forecast.AssertTransitions(CircuitState.Open);
        Assert.Equal(TimeSpan.FromSeconds(20), Forecast.Transitions[0].BreakDuration);

        Forecast rejected = _service.GetForecast("Lima");

        Assert.Equal(6, _service.Received);
        Assert.Equal("yesterday's forecast (circuit open: the service was not called)", rejected.Text);
        Forecast.AssertCalls(failures: 6, rejections: 1, fallbacks: 7);
    }

    [Fact]
    public void The_circuit_stays_open_until_the_break_is_over_then_two_good_probes_close_it()
    {
        _service.FailureRate = 1;
        for (int i = 0; i < 6; i++)
        {
            _service.GetForecast("Pune");
        }

        _service.FailureRate = 0;
        _breakers.Advance(TimeSpan.FromSeconds(20) - TimeSpan.FromMilliseconds(1));
        Assert.True(_service.GetForecast("Pune").FromFallback);
        Assert.Equal(6, _service.Received);

        _breakers.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(_service.GetForecast("Pune").FromFallback);
        Forecast.AssertState(CircuitState.HalfOpen);
        Assert.False(_service.GetForecast("Kyiv").FromFallback);

        Forecast.AssertTransitions(CircuitState.Open, CircuitState.HalfOpen, CircuitState.Closed);
        Assert.Equal(8, _service.Received);
    }

    [Fact]
    public void A_failed_probe_opens_the_circuit_for_another_break()
    {
        Forecast.HalfOpen();
        _service.FailureRate = 1;

        Assert.True(_service.GetForecast("Rome").FromFallback);

        Forecast.AssertTransitions(CircuitState.HalfOpen, CircuitState.Open);
        Assert.Equal(1, _service.Received);
        Assert.True(_service.GetForecast("Rome").FromFallback);
        Assert.Equal(1, _service.Received);
    }

    [Fact]
    public void An_open_circuit_answers_from_yesterdays_forecast_without_calling_the_service()
    {
        Forecast.Open();

        Forecast forecast = _service.GetForecast("Nara");

        Assert.True(forecast.FromFallback);
        Assert.Equal(0, _service.Received);
        Forecast.AssertCalls(rejections: 1, fallbacks: 1);
        Forecast.AssertTransitions(); // forcing it open is the test's doing, not the service's
    }

    [Fact]
    public void The_forecast_method_is_guarded_the_way_the_demo_says()
    {
        CircuitBreakerDeclaration declared = BreakerDeclarations.For<ForecastService>(nameof(ForecastService.GetForecast));

        Assert.Equal("forecast", declared.Name);
        Assert.Equal("CachedForecast", declared.Fallback);
        CircuitBreakerOptions o = declared.Options;
        Assert.Equal((0.5, 6, 10), (o.FailureRatio, o.MinimumThroughput, o.SlidingWindowSize));
        Assert.Equal((TimeSpan.FromSeconds(20), 2), (o.BreakDuration, o.SuccessThreshold));
    }
}
