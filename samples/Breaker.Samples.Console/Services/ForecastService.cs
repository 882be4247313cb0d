using System;

namespace Breaker.Samples.Console.Services;

/// <summary>
/// An unreliable weather service guarded by generated code: the source generator writes the body of
/// <see cref="GetForecast"/>, which calls <see cref="GetForecastCore"/> through the "forecast" breaker and answers with
/// <see cref="CachedForecast"/> when the call fails or the circuit is open.
/// </summary>
internal sealed partial class ForecastService(Random random)
{
    private static readonly string[] Skies = ["sunny", "cloudy", "rain", "snow", "fog"];

    /// <summary>How many calls reached the service itself.</summary>
    public int Received { get; private set; }

    /// <summary>The chance, from 0 to 1, that a call fails.</summary>
    public double FailureRate { get; set; } = 0.7;

    [CircuitBreaker("forecast", Fallback = nameof(CachedForecast), FailureRatio = 0.5, MinimumThroughput = 6, SlidingWindowSize = 10, BreakDurationMs = 20_000, SuccessThreshold = 2)]
    public partial Forecast GetForecast(string city);

    private Forecast GetForecastCore(string city)
    {
        Received++;
        if (random.NextDouble() < FailureRate)
        {
            throw new TimeoutException($"the weather station for {city} did not answer");
        }

        return new Forecast(city, $"{Skies[random.Next(Skies.Length)]}, {random.Next(-5, 30)} °C", FromFallback: false);
    }

    private static Forecast CachedForecast(string city, Exception error) => error switch
    {
        BrokenCircuitException => new Forecast(city, "yesterday's forecast (circuit open: the service was not called)", FromFallback: true),
        _ => new Forecast(city, $"yesterday's forecast ({error.Message})", FromFallback: true),
    };
}

/// <summary>A forecast for a city, and whether it came from the fallback instead of the service.</summary>
internal sealed record Forecast(string City, string Text, bool FromFallback)
{
    public override string ToString() => $"{City}: {Text}";
}
