using System;
using Breaker.Samples.Console.Infrastructure;
using Breaker.Samples.Console.Services;

namespace Breaker.Samples.Console;

/// <summary>The step that uses the source generator: a <c>[CircuitBreaker]</c> partial method with a fallback.</summary>
internal sealed class GeneratedCodeDemo(SampleClock clock, Random random)
{
    private static readonly string[] Cities = ["Oslo", "Lima", "Pune", "Kyiv", "Rome", "Nara"];

    public void DecoratedServiceWithFallback()
    {
        Terminal.Step("The decorated unreliable service with a fallback (generated code)");
        Terminal.Line("[CircuitBreaker(\"forecast\", Fallback = nameof(CachedForecast), ...)] public partial Forecast GetForecast(string city);");
        Terminal.Line("the weather service fails 70% of the time; every caller still gets an answer:");
        var service = new ForecastService(random);
        const int calls = 12;
        for (int i = 0; i < calls; i++)
        {
            Forecast forecast = service.GetForecast(Cities[i % Cities.Length]);
            Terminal.Outcome(!forecast.FromFallback, forecast.ToString());
        }

        CircuitBreaker breaker = Find("forecast");
        Terminal.Line($"the service was called {service.Received} times for {calls} requests;");
        Show(breaker);

        if (breaker.State != CircuitState.Open)
        {
            Terminal.Line("(with this seed, failures never reached half of the window, so the circuit stayed closed)");
            return;
        }

        Terminal.Line("20 seconds later the weather service is healthy again, and two probes close the circuit:");
        clock.Advance(breaker.GetMetrics().RetryAfter ?? TimeSpan.Zero);
        service.FailureRate = 0;
        for (int i = 0; i < 2; i++)
        {
            Forecast forecast = service.GetForecast(Cities[i]);
            Terminal.Outcome(!forecast.FromFallback, forecast.ToString());
        }

        Show(breaker);
    }

    private static CircuitBreaker Find(string name) =>
        CircuitBreakerRegistry.Default.TryGet(name, out CircuitBreaker? breaker)
            ? breaker
            : throw new InvalidOperationException($"The generated code did not register the '{name}' breaker.");

    private static void Show(CircuitBreaker breaker)
    {
        CircuitBreakerMetrics m = breaker.GetMetrics();
        Terminal.Line($"metrics of '{m.Name}': {m.TotalCalls} calls, {m.SuccessfulCalls} ok, {m.FailedCalls} failed, {m.RejectedCalls} rejected, {m.FallbackCalls} answered by the fallback, opened {m.CircuitOpens}×");
        Terminal.State(breaker);
    }
}
