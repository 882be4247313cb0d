using System;
using Microsoft.Extensions.Configuration;

namespace Breaker.Samples.Web.Rates;

/// <summary>
/// Exchange rates from a flaky in-process source, guarded by generated code: the source generator writes the body of
/// <see cref="GetRate"/>. The attribute's values are defaults; the "exchange-rates" section of appsettings.json overrides them.
/// </summary>
internal sealed partial class ExchangeRates(IConfiguration configuration)
{
    private readonly double _failureRate = configuration.GetValue("Downstream:FailureRate", 0.2);

    [CircuitBreaker("exchange-rates", Fallback = nameof(LastKnownRate), MinimumThroughput = 10, BreakDurationMs = 30_000)]
    public partial ExchangeRate GetRate(string currency);

    private ExchangeRate GetRateCore(string currency)
    {
        if (Random.Shared.NextDouble() < _failureRate)
        {
            throw new TimeoutException($"the rate source did not answer for {currency}");
        }

        decimal drift = 1m + (decimal)(Random.Shared.NextDouble() - 0.5) / 100m;
        return new ExchangeRate(currency, Math.Round(RateOf(currency) * drift, 4), "live");
    }

    private static ExchangeRate LastKnownRate(string currency) => new(currency, RateOf(currency), "last-known");

    private static decimal RateOf(string currency) => 0.5m + Math.Abs(StringComparer.Ordinal.GetHashCode(currency.ToUpperInvariant()) % 150) / 100m;
}

/// <summary>How many units of a currency one euro buys, and where the figure came from: "live" or "last-known".</summary>
public sealed record ExchangeRate(string Currency, decimal Rate, string Source);
